import { index, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("login", "routes/login.ts"),
  route("auth/clerk/callback", "routes/auth.clerk.callback.ts"),
  route("auth/error", "routes/auth.error.tsx"),
  route("private", "routes/private.tsx"),
  route("profile", "routes/profile.tsx"),
  route("api/userinfo", "routes/api.userinfo.ts"),
  route("account/sessions", "routes/account.sessions.tsx"),
  route("org", "routes/org.tsx"),
  route("org/members", "routes/org.members.tsx"),
  route("logout", "routes/logout.tsx"),
  route("webhooks/clerk", "routes/webhooks.clerk.ts"),
  route("examples/auth-components", "routes/examples.auth-components.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
