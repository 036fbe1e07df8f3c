import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import Components from 'unplugin-vue-components/vite'
import { defineConfig, type Plugin } from 'vite'

// ReDoc for /docs ships with the app (government networks reach no CDN): copy the pinned
// package's standalone bundle next to the built assets, minus its one outside reference (the
// sidebar's "powered by" logo from cdn.redoc.ly, replaced by an empty inline SVG).
const REDOC_LOGO = '"https://cdn.redoc.ly/redoc/logo-mini.svg"'
const EMPTY_SVG = '"data:image/svg+xml,%3Csvg%20xmlns=%27http://www.w3.org/2000/svg%27/%3E"'

function vendorRedoc(): Plugin {
  return {
    name: 'anjian-vendor-redoc',
    apply: 'build',
    writeBundle(options) {
      const out = options.dir ?? 'dist'
      mkdirSync(`${out}/vendor`, { recursive: true })
      const bundle = readFileSync('node_modules/redoc/bundles/redoc.standalone.js', 'utf8')
      const offline = bundle.replaceAll(REDOC_LOGO, EMPTY_SVG)
      // A new ReDoc version that loads something else from outside must fail the build.
      if (offline.includes('cdn.redoc.ly')) throw new Error('redoc bundle still references cdn.redoc.ly')
      writeFileSync(`${out}/vendor/redoc.standalone.js`, offline)
    },
  }
}

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus components and services (ElMessage...) imported on demand: registering the
    // whole library globally ships about 1 MB of JavaScript on the first page.
    AutoImport({ resolvers: [ElementPlusResolver()], dts: 'src/auto-imports.d.ts' }),
    Components({ resolvers: [ElementPlusResolver()], dts: 'src/components.d.ts' }),
    vendorRedoc(),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      output: {
        // Vue and the router change rarely: their own long-cached chunk.
        manualChunks(id) {
          if (/node_modules\/(@vue|vue|vue-router)\//.test(id)) return 'vue'
          return undefined
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000', '/docs': 'http://127.0.0.1:8000' } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
})
