// Hash routes: the app is one page; the part after `#` says which screen is open.

export type Route =
  | { name: 'map' }
  | { name: 'new' }
  | { name: 'reports' }
  | { name: 'report'; id: string }
  | { name: 'settings' }
  | { name: 'signIn' }
  | { name: 'kabar' }
  | { name: 'field' }
  | { name: 'audit' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const [head, ...rest] = path.split('/');
  switch (head) {
    case '':
      return { name: 'map' };
    case 'new':
      return { name: 'new' };
    case 'reports':
      if (rest.length === 1 && rest[0]) return { name: 'report', id: decodeURIComponent(rest[0]) };
      return { name: 'reports' };
    case 'settings':
      return { name: 'settings' };
    case 'sign-in':
      return { name: 'signIn' };
    case 'kabar':
      return { name: 'kabar' };
    case 'field':
      return { name: 'field' };
    case 'audit':
      return { name: 'audit' };
    default:
      return { name: 'map' };
  }
}

export function href(route: Route): string {
  switch (route.name) {
    case 'map':
      return '#/';
    case 'new':
      return '#/new';
    case 'reports':
      return '#/reports';
    case 'report':
      return `#/reports/${encodeURIComponent(route.id)}`;
    case 'settings':
      return '#/settings';
    case 'signIn':
      return '#/sign-in';
    case 'kabar':
      return '#/kabar';
    case 'field':
      return '#/field';
    case 'audit':
      return '#/audit';
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}
