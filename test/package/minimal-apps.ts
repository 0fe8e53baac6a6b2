// Two minimal apps that install clerk-edge-auth from its packed tarball the way the package's
// README tells a user to: a Remix v2 app on Cloudflare Pages and a React Router 8 app on Workers in
// the shape of create-cloudflare's template. Versions are the repository's own, so `npm install`
// finds every package in the local cache.

export type AppFiles = Record<string, string>;

const COMPATIBILITY_DATE = "2026-10-19";
const INSTALL_SCRIPTS = { esbuild: true, workerd: true, sharp: false };

const d1Binding = {
  binding: "SESSION_DB",
  database_name: "sessions",
  database_id: "00000000-0000-0000-0000-000000000000",
  migrations_dir: "node_modules/clerk-edge-auth/migrations",
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function remixApp(tarball: string): AppFiles {
  return {
    "package.json": json({
      name: "minimal-remix-app",
      private: true,
      type: "module",
      dependencies: {
        "@remix-run/cloudflare": "2.17.5",
        "@remix-run/cloudflare-pages": "2.17.5",
        "@remix-run/react": "2.17.5",
        "@remix-run/server-runtime": "2.17.5",
        "clerk-edge-auth": `file:${tarball}`,
        isbot: "5.2.4",
        react: "18.3.1",
        "react-dom": "18.3.1",
        "remix-auth": "4.2.0",
      },
      devDependencies: {
        "@cloudflare/workers-types": "5.20261012.1",
        "@remix-run/dev": "2.17.5",
        "@types/react": "18.3.32",
        typescript: "5.9.3",
        vite: "5.4.21",
        wrangler: "4.151.0",
      },
      overrides: {
        "@remix-run/dev": { wrangler: "$wrangler" },
        "@remix-run/cloudflare": { "@cloudflare/workers-types": "$@cloudflare/workers-types" },
        "@remix-run/cloudflare-pages": {
          "@cloudflare/workers-types": "$@cloudflare/workers-types",
        },
        rollup: "4.67.4",
      },
      allowScripts: INSTALL_SCRIPTS,
    }),
    "tsconfig.json": json({
      include: ["**/*.ts", "**/*.tsx"],
      exclude: ["node_modules", "build", "public/build", "dist"],
      compilerOptions: {
        lib: ["DOM", "DOM.Iterable", "ES2022"],
        types: ["@cloudflare/workers-types"],
        jsx: "react-jsx",
        module: "ESNext",
        moduleResolution: "Bundler",
        target: "ES2022",
        strict: true,
        skipLibCheck: true,
        noEmit: true,
      },
    }),
    "remix.config.js": `export default {
  serverBuildPath: "build/index.js",
  serverConditions: ["workerd", "worker", "browser"],
  serverDependenciesToBundle: [],
  serverMainFields: ["browser", "module", "main"],
  serverModuleFormat: "esm",
  serverPlatform: "neutral",
  future: { v3_singleFetch: true },
};
`,
    "wrangler.toml": `name = "minimal-remix-app"
pages_build_output_dir = "./public"
compatibility_date = "${COMPATIBILITY_DATE}"

[[kv_namespaces]]
binding = "SESSION_KV"
id = "00000000000000000000000000000000"

[[d1_databases]]
binding = "SESSION_DB"
database_name = "${d1Binding.database_name}"
database_id = "${d1Binding.database_id}"
migrations_dir = "${d1Binding.migrations_dir}"
`,
    "functions/[[path]].ts": `import type { ServerBuild } from "@remix-run/cloudflare";
import { createPagesFunctionHandler } from "@remix-run/cloudflare-pages";
import { type AppConfig, type AuthBindings, handleEdgeRequest } from "clerk-edge-auth";
import { authLoadContext } from "clerk-edge-auth/remix";
// @ts-ignore: written by \`remix build\`
import * as build from "../build/index.js";

type Data = { config: AppConfig };
const handleRemix = createPagesFunctionHandler<AuthBindings>({
  build: build as unknown as ServerBuild,
  getLoadContext: ({ context }) =>
    authLoadContext(context.cloudflare, (context.cloudflare.data as Data).config),
});

export const onRequest: PagesFunction<AuthBindings, string, Data> = (context) =>
  handleEdgeRequest(context.request, context.env, (config) => {
    context.data.config = config;
    return handleRemix(context);
  });
`,
    "app/root.tsx": `import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Links, Meta, Outlet, Scripts } from "@remix-run/react";
import type { RootData } from "clerk-edge-auth";
import { getAuth } from "clerk-edge-auth/remix";
import { SignedIn, SignedOut, useUser } from "clerk-edge-auth/remix/react";

export async function loader(args: LoaderFunctionArgs) {
  return { user: await getAuth(args).getUser() } satisfies RootData;
}

export default function App() {
  const { user } = useUser();
  return (
    <html lang="en">
      <head><Meta /><Links /></head>
      <body>
        <SignedIn><p>Signed in as {user?.email}</p></SignedIn>
        <SignedOut><a href="/login">Sign in</a></SignedOut>
        <Outlet />
        <Scripts />
      </body>
    </html>
  );
}
`,
    ...sharedRoutes("@remix-run/cloudflare", "clerk-edge-auth/remix"),
  };
}

/** Routes both apps write the same way; only the framework's types and the adapter differ. */
function sharedRoutes(types: string, adapter: string): AppFiles {
  const args = "LoaderFunctionArgs";
  return {
    "app/routes/login.ts": `import type { ${args} } from "${types}";
import { getAuth } from "${adapter}";
export const loader = (args: ${args}) => getAuth(args).login();
`,
    "app/routes/auth.clerk.callback.ts": `import type { ${args} } from "${types}";
import { getAuth } from "${adapter}";
export const loader = (args: ${args}) => getAuth(args).finishLogin();
`,
    "app/routes/private.tsx": `import type { ${args} } from "${types}";
import { getAuth } from "${adapter}";
export async function loader(args: ${args}) {
  const user = await getAuth(args).requireUser();
  return { id: user.id, email: user.email };
}
export default function Private() {
  return <p>private</p>;
}
`,
  };
}

export function reactRouterApp(tarball: string): AppFiles {
  return {
    "package.json": json({
      name: "minimal-react-router-app",
      private: true,
      type: "module",
      dependencies: {
        "clerk-edge-auth": `file:${tarball}`,
        isbot: "5.2.4",
        react: "19.3.1",
        "react-dom": "19.3.1",
        "react-router": "8.5.3",
        "remix-auth": "4.2.0",
      },
      devDependencies: {
        "@cloudflare/vite-plugin": "1.64.0",
        "@react-router/dev": "8.5.3",
        "@types/node": "24.19.4",
        "@types/react": "19.3.3",
        "@types/react-dom": "19.3.0",
        typescript: "5.9.3",
        vite: "8.4.1",
        wrangler: "4.151.0",
      },
      allowScripts: INSTALL_SCRIPTS,
    }),
    "tsconfig.json": json({
      include: [
        "worker-configuration.d.ts",
        "workers/**/*.ts",
        "app/**/*",
        ".react-router/types/**/*",
      ],
      compilerOptions: {
        lib: ["DOM", "DOM.Iterable", "ES2022"],
        types: ["vite/client"],
        rootDirs: [".", "./.react-router/types"],
        jsx: "react-jsx",
        module: "ESNext",
        moduleResolution: "Bundler",
        target: "ES2022",
        strict: true,
        skipLibCheck: true,
        noEmit: true,
      },
    }),
    "wrangler.jsonc": json({
      name: "minimal-react-router-app",
      compatibility_date: COMPATIBILITY_DATE,
      main: "./workers/app.ts",
      kv_namespaces: [{ binding: "SESSION_KV", id: "00000000000000000000000000000000" }],
      d1_databases: [d1Binding],
    }),
    "vite.config.ts": `import { cloudflare } from "@cloudflare/vite-plugin";
import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";
export default defineConfig({
  plugins: [cloudflare({ viteEnvironment: { name: "ssr" }, inspectorPort: false }), reactRouter()],
});
`,
    "react-router.config.ts": `import type { Config } from "@react-router/dev/config";
export default { ssr: true } satisfies Config;
`,
    // create-cloudflare's Worker: React Router gets no context; the auth middleware reads the
    // bindings from cloudflare:workers.
    "workers/app.ts": `import { createRequestHandler } from "react-router";
const requestHandler = createRequestHandler(
  () => import("virtual:react-router/server-build"),
  import.meta.env.MODE,
);
export default {
  fetch(request) {
    return requestHandler(request);
  },
} satisfies ExportedHandler<Env>;
`,
    "app/routes.ts": `import { index, type RouteConfig, route } from "@react-router/dev/routes";
export default [
  index("routes/home.tsx"),
  route("login", "routes/login.ts"),
  route("auth/clerk/callback", "routes/auth.clerk.callback.ts"),
  route("private", "routes/private.tsx"),
] satisfies RouteConfig;
`,
    "app/root.tsx": `import type { RootData } from "clerk-edge-auth";
import { authMiddleware, getAuth } from "clerk-edge-auth/react-router";
import { SignedIn, SignedOut, useUser } from "clerk-edge-auth/react-router/react";
import { Links, type LoaderFunctionArgs, Meta, Outlet, Scripts } from "react-router";

export const middleware = [authMiddleware()];

export async function loader(args: LoaderFunctionArgs) {
  return { user: await getAuth(args).getUser() } satisfies RootData;
}

export default function App() {
  const { user } = useUser();
  return (
    <html lang="en">
      <head><Meta /><Links /></head>
      <body>
        <SignedIn><p>Signed in as {user?.email}</p></SignedIn>
        <SignedOut><a href="/login">Sign in</a></SignedOut>
        <Outlet />
        <Scripts />
      </body>
    </html>
  );
}
`,
    "app/routes/home.tsx": `export default function Home() {
  return <p>home</p>;
}
`,
    ...sharedRoutes("react-router", "clerk-edge-auth/react-router"),
  };
}
