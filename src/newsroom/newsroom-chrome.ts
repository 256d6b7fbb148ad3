import type { PageContext } from '../site/page-context';
import type { NewsroomSession } from './newsroom-sessions';
import type { Role } from './newsroom-users-repository';

// What every newsroom page shows around its content: the site's name, the newsroom's navigation
// for the signed-in role, who is signed in, and the session's form token for "Sign out".

export type NewsroomChrome = {
  siteName: string;
  stylesheetUrl: string;
  iconUrl: string;
  user: { email: string; role: Role } | null;
  csrf: string;
  nav: { text: string; url: string; current: boolean }[];
};

const NAV: { text: string; url: string; roles: readonly Role[] }[] = [
  { text: 'Home', url: '/admin', roles: ['writer', 'editor', 'admin'] },
  { text: 'Stories', url: '/admin/stories', roles: ['writer', 'editor', 'admin'] },
  { text: 'Photos', url: '/admin/photos', roles: ['writer', 'editor', 'admin'] },
  { text: 'Promos', url: '/admin/promos', roles: ['editor', 'admin'] },
  { text: 'Weekly review', url: '/admin/newsletters', roles: ['editor', 'admin'] },
  { text: 'Offer', url: '/admin/offer', roles: ['admin'] },
  { text: 'Subscribers', url: '/admin/subscribers', roles: ['admin'] },
  { text: 'Users', url: '/admin/users', roles: ['admin'] },
  { text: 'Audit log', url: '/admin/audit', roles: ['admin'] },
  { text: 'Your account', url: '/admin/account', roles: ['writer', 'editor', 'admin'] },
];

export function buildNewsroomChrome(context: PageContext, session: NewsroomSession | null, currentPath: string): NewsroomChrome {
  const role = session?.user.role;
  return {
    siteName: context.config.siteName,
    stylesheetUrl: context.assets.url('site.css'),
    iconUrl: context.assets.url('icon.svg'),
    user: session ? { email: session.user.email, role: session.user.role } : null,
    csrf: session?.csrfToken ?? '',
    nav: role
      ? NAV.filter((item) => item.roles.includes(role)).map((item) => ({
          text: item.text,
          url: item.url,
          current: item.url === currentPath,
        }))
      : [],
  };
}
