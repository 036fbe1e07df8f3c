import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import './styles.css'
// Element Plus's service components (ElMessage, ElMessageBox) are auto-imported; their styles
// are not, so load them here once.
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'

createApp(App).use(router).mount('#app')
