// The slice of React Router 8's API the react-router adapter is compiled against. The repository's
// root holds React Router 6 (inside Remix v2), so the package build maps "react-router" here; the
// emitted declarations still import "react-router", which an app resolves to its own React Router 8.
declare module "react-router" {
  export interface RouterContext<T = unknown> {
    defaultValue?: T;
  }
  export function createContext<T>(defaultValue?: T): RouterContext<T>;
  export class RouterContextProvider {
    constructor(init?: Map<RouterContext, unknown>);
    get<T>(context: RouterContext<T>): T;
    set<C extends RouterContext>(
      context: C,
      value: C extends RouterContext<infer T> ? T : never,
    ): void;
  }
  export type MiddlewareNextFunction<Result = unknown> = () => Promise<Result>;
  export type MiddlewareFunction<Result = unknown> = (
    args: { request: Request; context: Readonly<RouterContextProvider> },
    next: MiddlewareNextFunction<Result>,
  ) => Promise<Result>;
  export function useLocation(): { pathname: string; search: string };
  export function useRouteLoaderData(routeId: string): unknown;
  export function useSubmit(): (
    target: null,
    options: { method: "post"; action: string },
  ) => Promise<void>;
}
