// GraphiQL served by Threshold itself: the browser loads nothing from a CDN (closed networks), and the
// page opens on the project's WhoAmI query with every operation in schema/examples as a tab.
//
// The editor comes built from @graphql-yoga/render-graphiql. Its own `renderGraphiQL` inlines the whole
// bundle (~9 MB of script, styles and Monaco workers) into every page; this module serves the same
// bundle as separate, cacheable assets and renders only the small page shell that loads them — the
// shell mirrors the package's (set MonacoEnvironment, load the bundle, call renderYogaGraphiQL).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { packagePath } from './paths.js';

/** Asset URLs are `${GRAPHIQL_ASSETS_PATH}<content hash>/<file>`: immutable, cached by browsers. */
export const GRAPHIQL_ASSETS_PATH = '/graphiql-assets/';

const EXAMPLES_DIR = pathToFileURL(`${packagePath('schema', 'examples')}/`);

interface Asset {
  url: string;
  contentType: string;
  body: string | Uint8Array<ArrayBuffer>;
}

interface Bundle {
  script: Asset;
  style: Asset;
  favicon: Asset;
  /** Monaco asks for its workers by label. */
  workers: Record<'editorWorkerService' | 'json' | 'graphql', Asset>;
  byPath: Map<string, Asset>;
}

const JS = 'text/javascript; charset=utf-8';

function asset(name: string, contentType: string, body: string | Uint8Array<ArrayBuffer>): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { url: `${GRAPHIQL_ASSETS_PATH}${hash}/${name}`, contentType, body };
}

let bundle: Promise<Bundle> | undefined;

/** The bundle module is large (≈0.6 s to load): loaded on the first GraphiQL request, then kept. */
function loadBundle(): Promise<Bundle> {
  bundle ??= import('@graphql-yoga/render-graphiql/graphiql').then((files) => {
    const icon = /^data:([^;,]+);base64,(.*)$/s.exec(files.favicon);
    const script = asset('graphiql.js', JS, files.js);
    const style = asset('graphiql.css', 'text/css; charset=utf-8', files.css);
    const favicon = icon
      ? asset('favicon.ico', icon[1] ?? 'image/x-icon', new Uint8Array(Buffer.from(icon[2] ?? '', 'base64')))
      : asset('favicon.ico', 'image/x-icon', new Uint8Array());
    const workers = {
      editorWorkerService: asset('editor.worker.js', JS, files.editorWorkerService),
      json: asset('json.worker.js', JS, files.jsonWorker),
      graphql: asset('graphql.worker.js', JS, files.graphqlWorker),
    };
    const all = [script, style, favicon, ...Object.values(workers)];
    return { script, style, favicon, workers, byPath: new Map(all.map((a) => [a.url, a])) };
  });
  return bundle;
}

/** The `# key: value` header lines of an example file. */
function exampleHeader(text: string, key: string): string | undefined {
  return new RegExp(`^# ${key}: (.*)$`, 'm').exec(text)?.[1]?.trim();
}

function prettyJson(text: string | undefined): string | null {
  if (!text) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * One GraphiQL tab per schema/examples/*.graphql, in file order, read from disk once per process.
 * Variables come from the `# variables:` line (placeholders such as "<Account:Name>" stay for the
 * user to replace); the header names whose token to paste (`# as:`; `npm start` prints demo tokens).
 */
type Tab = NonNullable<GraphiQLOptions['defaultTabs']>[number];
let exampleTabs: Tab[] | undefined;

export function graphiqlExampleTabs(): Tab[] {
  if (!exampleTabs) {
    let files: string[] = [];
    try {
      files = readdirSync(EXAMPLES_DIR)
        .filter((f) => f.endsWith('.graphql'))
        .sort();
    } catch {
      // A build shipped without schema/examples still serves GraphiQL, just without the tabs.
    }
    exampleTabs = files.map((file) => {
      const query = readFileSync(new URL(file, EXAMPLES_DIR), 'utf8');
      const as = exampleHeader(query, 'as');
      return {
        query,
        variables: prettyJson(exampleHeader(query, 'variables')),
        headers: as ? JSON.stringify({ Authorization: `Bearer <token of ${as}>` }, null, 2) : null,
      };
    });
  }
  return exampleTabs;
}

/** JSON placed inside <script>: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Yoga's `renderGraphiQL` hook: the page shell; every script and style comes from this server. */
export async function renderGraphiQLPage(options: GraphiQLOptions = {}): Promise<string> {
  const { script, style, favicon, workers } = await loadBundle();
  const workerUrls = Object.fromEntries(Object.entries(workers).map(([label, a]) => [label, a.url]));
  const title = escapeHtml(options.title ?? 'GraphiQL');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="icon" href="${options.favicon ? escapeHtml(options.favicon) : favicon.url}" />
    <link rel="stylesheet" href="${style.url}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      const workerUrls = ${scriptJson(workerUrls)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workerUrls[label] };
    </script>
    <script src="${script.url}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
}

/** Serves the GraphiQL bundle's files under GRAPHIQL_ASSETS_PATH (only registered with GraphiQL on). */
export function useGraphiQLAssets(): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(GRAPHIQL_ASSETS_PATH)) return;
      const found = (await loadBundle()).byPath.get(url.pathname);
      endResponse(
        found
          ? new fetchAPI.Response(found.body, {
              status: 200,
              headers: { 'content-type': found.contentType, 'cache-control': 'public, max-age=31536000, immutable' },
            })
          : new fetchAPI.Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } }),
      );
    },
  };
}
