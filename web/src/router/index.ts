// Routes per role, every view lazy-loaded (the first page ships only what it shows).
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { whenSessionExpires } from '@/api/client'
import { ENTERPRISE_ROLES, REGULATOR_ROLES, homeOf, isSignedIn, session, signOut, type Role } from '@/auth/session'
import { prefetchDashboard } from '@/views/enterprise/dashboardData'

declare module 'vue-router' {
  interface RouteMeta {
    /** Signed-in users with one of these roles (absent: public page). */
    roles?: Role[]
    title?: string
  }
}

const ENTERPRISE = ENTERPRISE_ROLES
const ENTERPRISE_ADMIN: Role[] = ['enterprise_admin']
const SIGNED_IN: Role[] = ['platform_admin', 'authority_admin', 'regulator', 'inspector', 'enterprise_admin', 'enterprise_staff']

const routes: RouteRecordRaw[] = [
  {
    path: '/',
    component: () => import('@/layouts/PublicLayout.vue'),
    children: [
      { path: '', component: () => import('@/views/public/HomeView.vue'), meta: { title: '首页' } },
      { path: 'login', component: () => import('@/views/auth/LoginView.vue'), meta: { title: '登录' } },
      { path: 'tip-off/:authorityId?', component: () => import('@/views/public/TipOffView.vue'), meta: { title: '安全隐患举报' } },
      { path: 'tip-off-status', component: () => import('@/views/public/TipOffStatusView.vue'), meta: { title: '举报进度查询' } },
      { path: 'verify/:code', component: () => import('@/views/public/VerifyDocumentView.vue'), meta: { title: '执法文书核验' } },
      { path: 'public/plans/:authorityId?', component: () => import('@/views/public/PlansView.vue'), meta: { title: '双随机抽查计划' } },
      { path: 'public/draws/:authorityId/:drawId', component: () => import('@/views/public/DrawView.vue'), meta: { title: '抽查结果' } },
      { path: 'public/results/:authorityId?', component: () => import('@/views/public/ResultsView.vue'), meta: { title: '检查结果公示' } },
      { path: 'public/blacklist/:authorityId?', component: () => import('@/views/public/BlacklistView.vue'), meta: { title: '失信名单' } },
    ],
  },
  {
    path: '/enterprise',
    component: () => import('@/layouts/EnterpriseLayout.vue'),
    meta: { roles: ENTERPRISE },
    children: [
      {
        path: '',
        component: () => import('@/views/enterprise/DashboardView.vue'),
        // Its data is asked for while its code loads (see dashboardData.ts).
        beforeEnter: prefetchDashboard,
        meta: { roles: ENTERPRISE, title: '工作台' },
      },
      { path: 'hazards', component: () => import('@/views/hazards/HazardListView.vue'), meta: { roles: ENTERPRISE_ADMIN, title: '重大危险源' } },
      { path: 'hazards/new', component: () => import('@/views/hazards/HazardFormView.vue'), meta: { roles: ENTERPRISE_ADMIN, title: '登记重大危险源' } },
      { path: 'hazards/:id', component: () => import('@/views/hazards/HazardFormView.vue'), meta: { roles: ENTERPRISE_ADMIN, title: '重大危险源' } },
      { path: 'risks', component: () => import('@/views/risks/RiskListView.vue'), meta: { roles: ENTERPRISE_ADMIN, title: '安全风险清单' } },
      { path: 'risks/new', component: () => import('@/views/risks/RiskPointFormView.vue'), meta: { roles: ENTERPRISE_ADMIN, title: '新增风险点' } },
      { path: 'risks/:id', component: () => import('@/views/risks/RiskPointFormView.vue'), meta: { roles: ENTERPRISE_ADMIN, title: '风险点' } },
      { path: 'risk-import', component: () => import('@/views/risks/RiskImportView.vue'), meta: { roles: ENTERPRISE_ADMIN, title: '导入风险清单' } },
      { path: 'risk-versions', component: () => import('@/views/risks/RiskVersionsView.vue'), meta: { roles: ENTERPRISE_ADMIN, title: '发布版本' } },
      { path: 'dangers', component: () => import('@/views/dangers/LedgerView.vue'), meta: { roles: ENTERPRISE, title: '隐患台账' } },
      { path: 'dangers/new', component: () => import('@/views/dangers/ReportDangerView.vue'), meta: { roles: ENTERPRISE, title: '上报隐患' } },
      { path: 'dangers/:id', component: () => import('@/views/dangers/DangerDetailView.vue'), meta: { roles: ENTERPRISE, title: '隐患详情' } },
      { path: 'reports', component: () => import('@/views/dangers/ReportsView.vue'), meta: { roles: ENTERPRISE_ADMIN, title: '统计报表' } },
      { path: 'staff', component: () => import('@/views/accounts/StaffView.vue'), meta: { roles: ENTERPRISE_ADMIN, title: '人员账号' } },
      { path: 'notifications', component: () => import('@/views/enterprise/NotificationsView.vue'), meta: { roles: ENTERPRISE, title: '消息通知' } },
    ],
  },
  {
    path: '/account',
    component: () => import('@/layouts/PublicLayout.vue'),
    meta: { roles: SIGNED_IN },
    children: [
      { path: '', component: () => import('@/views/auth/AccountView.vue'), meta: { roles: SIGNED_IN, title: '我的账号' } },
      { path: 'password', component: () => import('@/views/auth/PasswordView.vue'), meta: { roles: SIGNED_IN, title: '修改密码' } },
    ],
  },
  {
    // The regulator console and the inspector's tablet app are the next parts of the web client;
    // until they land these roles get their account page and the API documentation.
    path: '/regulator',
    redirect: '/account',
    meta: { roles: REGULATOR_ROLES },
  },
  { path: '/inspector', redirect: '/account', meta: { roles: ['inspector'] } },
  { path: '/:pathMatch(.*)*', component: () => import('@/views/public/NotFoundView.vue'), meta: { title: '页面不存在' } },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach((to) => {
  const roles = to.meta.roles
  if (!roles) return true
  if (!isSignedIn()) {
    if (session.token) signOut(true) // it expired while the tab was open: say so at the login
    return { path: '/login', query: { redirect: to.fullPath } }
  }
  const role = session.user?.role
  if (!role || !roles.includes(role)) return homeOf(role) === to.path ? '/account' : homeOf(role)
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 安监` : '安监 · 安全生产监管平台'
})

whenSessionExpires(() => {
  const here = router.currentRoute.value
  if (here.path !== '/login') void router.push({ path: '/login', query: { redirect: here.fullPath } })
})
