import { copyFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import Components from 'unplugin-vue-components/vite'
import { defineConfig, type Plugin } from 'vite'

// ReDoc for /docs ships with the app (government networks reach no CDN): copy the pinned
// package's standalone bundle next to the built assets.
function vendorRedoc(): Plugin {
  return {
    name: 'anjian-vendor-redoc',
    apply: 'build',
    writeBundle(options) {
      const out = options.dir ?? 'dist'
      mkdirSync(`${out}/vendor`, { recursive: true })
      copyFileSync('node_modules/redoc/bundles/redoc.standalone.js', `${out}/vendor/redoc.standalone.js`)
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
