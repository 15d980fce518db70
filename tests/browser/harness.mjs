// Shared setup for the browser tests: serves dist/ on loopback, drives the system Chromium, and
// records every error the page or its worker reports.
//
// Usage, once per test file:
//   const browser = useBrowser();
//   test('…', async () => { const { page, errors } = await browser.open('/?steps=5'); … });

import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = join(ROOT, 'dist');
export const OUTPUT = join(ROOT, 'test-output');

// Flags measured in /work/shared/notes/toolchain.md: WebGPU on SwiftShader, and no traffic to
// anywhere but our own server.
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm', // WebAssembly.instantiateStreaming refuses any other type
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * A static file server for `dir` on 127.0.0.1, on a free port the OS picks. `cors`: let pages
 * of any origin read the files (for a figure embedded from another origin).
 */
export async function serveStatic(dir, { cors = false } = {}) {
  const server = createServer((request, response) => {
    let file;
    let pathname;
    try {
      ({ pathname } = new URL(request.url, 'http://127.0.0.1'));
      file = join(dir, normalize(decodeURIComponent(pathname)));
    } catch {
      return end(response, 400);
    }
    if (!file.startsWith(dir + sep) && file !== dir) return end(response, 403);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    // Chromium asks for a favicon on its own; a 404 would show up as a console error.
    if (!existsSync(file)) return end(response, pathname === '/favicon.ico' ? 204 : 404);
    response.writeHead(200, {
      'content-type': MIME_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...(cors ? { 'access-control-allow-origin': '*' } : {}),
    });
    createReadStream(file).pipe(response);
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const close = () => server.close().closeAllConnections();
  return { url: `http://127.0.0.1:${server.address().port}`, close };
}

function end(response, status) {
  response.writeHead(status).end(status === 204 ? undefined : `${status}\n`);
}

/** Starts the server and Chromium before this file's tests and stops both after them. */
export function useBrowser() {
  let server;
  let context;
  let profile;

  before(async () => {
    if (!existsSync(join(DIST, 'index.html'))) {
      throw new Error(`${DIST}/index.html is missing: run \`trunk build --release\` first`);
    }
    mkdirSync(OUTPUT, { recursive: true });
    server = await serveStatic(DIST);
    profile = mkdtempSync(join(tmpdir(), 'resnet-playground-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
  });

  after(async () => {
    await context?.close();
    server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  return {
    /** The test server's origin, http://127.0.0.1:<port>. */
    get origin() {
      return server.url;
    },

    /**
     * Opens `path` (on the test server, or a whole http://127.0.0.1 URL) in a new tab; `errors`
     * fills as the page and its workers report them. `prepare(page)` runs before the page is
     * loaded (init scripts, routes, emulation).
     */
    async open(path, { prepare } = {}) {
      const page = await context.newPage();
      // The machine may be busy with builds: loading a 45 MB wasm module can take a while.
      page.setDefaultTimeout(120_000);
      const errors = { page: [], console: [] };
      page.on('pageerror', (error) => errors.page.push(String(error?.stack ?? error)));
      // Also carries the workers' console messages (checked with playwright-core 1.65).
      page.on('console', (message) => {
        if (message.type() === 'error') errors.console.push(message.text());
      });
      await prepare?.(page);
      await page.goto(path.startsWith('http://127.0.0.1:') ? path : server.url + path);
      return { page, errors };
    },

    /** The trimmed text of `selector` if it is shown, else ''. */
    async shownText(page, selector) {
      const element = page.locator(selector);
      return (await element.isVisible()) ? (await element.innerText()).trim() : '';
    },

    /** Saves a full-page screenshot as test-output/<name>.png. */
    async screenshot(page, name) {
      await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
    },
  };
}
