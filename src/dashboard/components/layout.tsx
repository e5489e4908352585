import type { Child } from 'hono/jsx';
import { CSS_HREF } from '../assets/assets.js';

export type NavItem = 'home' | 'insights' | 'health' | 'queues' | null;

const NAV: { key: Exclude<NavItem, null>; href: string; text: string }[] = [
  { key: 'home', href: '/', text: 'Needs you' },
  { key: 'insights', href: '/insights', text: 'Insights' },
  { key: 'health', href: '/health', text: 'Health' },
  { key: 'queues', href: '/admin/queues', text: 'Queues' },
];

/** The hidden field every form carries: the session's (or the login form's) CSRF token. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="csrf" value={props.token} />;
}

/**
 * Every page's frame: a skip link, the navigation (with a log-out form) when signed in, and `main`.
 * No script anywhere: the Content-Security-Policy allows none.
 */
export function Layout(props: { title: string; nav?: NavItem; csrf?: string | null; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · Dispute Autopilot`}</title>
        <link rel="stylesheet" href={CSS_HREF} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <div class="bar">
            <a class="brand" href="/">
              Dispute Autopilot
            </a>
            {props.csrf && (
              <nav aria-label="Main">
                <ul>
                  {NAV.map((n) => (
                    <li>
                      <a href={n.href} aria-current={props.nav === n.key ? 'page' : undefined}>
                        {n.text}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            {props.csrf && (
              <form method="post" action="/logout">
                <CsrfField token={props.csrf} />
                <button type="submit">Log out</button>
              </form>
            )}
          </div>
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

export type Tone = 'done' | 'warn' | 'info' | 'muted' | 'bad';

export function Badge(props: { tone: Tone; children?: Child }) {
  return <span class={`badge tone-${props.tone}`}>{props.children}</span>;
}

export function Notice(props: { kind?: 'info' | 'error' | 'ok'; children?: Child }) {
  const kind = props.kind ?? 'info';
  return (
    <div class={`notice ${kind === 'info' ? '' : kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}
