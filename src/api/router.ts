/**
 * A small router: routes are `METHOD /path/{param}` patterns, matched segment by segment; static
 * segments win over parameters. One concept: find the route and its path parameters.
 */

export interface Match<T> {
  readonly route: T;
  readonly params: Readonly<Record<string, string>>;
}

interface Node<T> {
  readonly statics: Map<string, Node<T>>;
  param?: { name: string; node: Node<T> };
  readonly routes: Map<string, T>;
}

const node = <T>(): Node<T> => ({ statics: new Map(), routes: new Map() });

export class Router<T> {
  private readonly root: Node<T> = node();

  add(method: string, path: string, route: T): void {
    let n = this.root;
    for (const seg of path.split('/').filter(Boolean)) {
      const p = /^\{(\w+)\}$/.exec(seg);
      if (p) {
        if (n.param && n.param.name !== p[1])
          throw new Error(`Route ${path}: parameter {${p[1]}} clashes with {${n.param.name}}`);
        n.param ??= { name: p[1]!, node: node() };
        n = n.param.node;
      } else {
        let next = n.statics.get(seg);
        if (!next) n.statics.set(seg, (next = node()));
        n = next;
      }
    }
    if (n.routes.has(method)) throw new Error(`Route ${method} ${path} defined twice`);
    n.routes.set(method, route);
  }

  /** The route for a method and path; `allowed` lists the methods of a path that exists. */
  find(method: string, path: string): Match<T> | { allowed: string[] } | undefined {
    const params: Record<string, string> = {};
    const segs = path.split('/').filter(Boolean);
    const walk = (n: Node<T>, i: number): Node<T> | undefined => {
      if (i === segs.length) return n.routes.size > 0 ? n : undefined;
      const s = n.statics.get(segs[i]!);
      const viaStatic = s ? walk(s, i + 1) : undefined;
      if (viaStatic) return viaStatic;
      if (n.param) {
        const found = walk(n.param.node, i + 1);
        if (found) {
          let v: string;
          try {
            v = decodeURIComponent(segs[i]!);
          } catch {
            return undefined;
          }
          params[n.param.name] = v;
          return found;
        }
      }
      return undefined;
    };
    const n = walk(this.root, 0);
    if (!n) return undefined;
    const route = n.routes.get(method) ?? (method === 'HEAD' ? n.routes.get('GET') : undefined);
    return route ? { route, params } : { allowed: [...n.routes.keys()] };
  }
}
