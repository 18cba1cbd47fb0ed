import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Built into dist/, which WebFrontend copies beside its binaries and serves at / (hashed files under /assets/).
// `npm run dev` proxies the API and the hub to a Chat started by ./run.sh.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:5000",
      "/hubs": { target: "http://127.0.0.1:5000", ws: true },
    },
  },
});
