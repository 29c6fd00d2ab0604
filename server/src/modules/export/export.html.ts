/**
 * The offline page of an export (`index.html`): one self-contained file with its CSS inline, no
 * script and no address outside the export, so it opens from the disk and asks nothing of any
 * server. Every link is a relative path to a file of the export.
 */

export function htmlEscape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A path relative to the export's root as a relative URL: each segment percent-encoded. */
export const relativeUrl = (path: string): string =>
  path.split('/').map(encodeURIComponent).join('/');

const months = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
]; // prettier-ignore

/** `October 2023` for a local date-time. */
export const monthLabel = (localDateTime: string): string =>
  `${months[Number(localDateTime.slice(5, 7)) - 1] ?? ''} ${localDateTime.slice(0, 4)}`;

export interface IndexFigure {
  /** Paths relative to the export's root. */
  original: string;
  thumbnail: string | null;
  json: string | null;
  motion: string | null;
  name: string;
  localDateTime: string;
  type: 'image' | 'video';
  favorite: boolean;
  description: string | null;
}

export function figureHtml(f: IndexFigure): string {
  const picture = f.thumbnail
    ? `<img src="${htmlEscape(relativeUrl(f.thumbnail))}" alt="${htmlEscape(f.name)}" loading="lazy">`
    : `<span class="none">${f.type === 'video' ? 'Video' : 'Photo'}</span>`;
  const when = f.localDateTime.slice(0, 16).replace('T', ' ');
  const extra = [
    f.motion ? `<a href="${htmlEscape(relativeUrl(f.motion))}">live video</a>` : '',
    f.json ? `<a href="${htmlEscape(relativeUrl(f.json))}">details</a>` : '',
  ].filter((s) => s !== '');
  return `<figure${f.type === 'video' ? ' class="video"' : ''}><a href="${htmlEscape(relativeUrl(f.original))}">${picture}</a><figcaption>${f.favorite ? '<span class="fav" title="Favourite">★</span> ' : ''}<span class="name">${htmlEscape(f.name)}</span><br><time>${htmlEscape(when)}</time>${extra.length > 0 ? ` · ${extra.join(' · ')}` : ''}${f.description ? `<p>${htmlEscape(f.description)}</p>` : ''}</figcaption></figure>\n`;
}

export const sectionStart = (id: string, title: string, note = ''): string =>
  `<section id="${htmlEscape(id)}"><h2>${htmlEscape(title)}</h2>${note ? `<p class="note">${htmlEscape(note)}</p>` : ''}\n`;
export const groupStart = (id: string, title: string, note = ''): string =>
  `<div class="group" id="${htmlEscape(id)}"><h3>${htmlEscape(title)}</h3>${note ? `<p class="note">${htmlEscape(note)}</p>` : ''}<div class="grid">\n`;
export const groupEnd = '</div></div>\n';
export const sectionEnd = '</section>\n';

export interface NavEntry {
  id: string;
  label: string;
  count: number;
}

const style = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1d1d1f;--muted:#6e6e73;--card:#f2f2f5;--accent:#2f6fde}
@media (prefers-color-scheme:dark){:root{--bg:#121214;--fg:#ececf1;--muted:#a1a1aa;--card:#1f1f23;--accent:#7aa7ff}}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{padding:24px 32px 8px}header h1{margin:0 0 4px;font-size:26px}header p{margin:4px 0;color:var(--muted)}
nav{padding:8px 32px 16px;border-bottom:1px solid var(--card)}nav h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:12px 0 4px}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px}nav a{color:var(--accent);text-decoration:none}nav small{color:var(--muted)}
main{padding:0 32px 48px}section>h2{margin:32px 0 8px;font-size:22px}.group h3{margin:20px 0 8px;font-size:17px}
.note{color:var(--muted);margin:0 0 8px}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px}
figure{margin:0;background:var(--card);border-radius:8px;overflow:hidden}figure>a{display:block;aspect-ratio:1;background:#0002}
figure img{width:100%;height:100%;object-fit:cover;display:block}.none{display:flex;height:100%;align-items:center;justify-content:center;color:var(--muted)}
figure.video>a{position:relative}figure.video>a::after{content:"▶";position:absolute;right:8px;bottom:6px;color:#fff;text-shadow:0 0 4px #000}
figcaption{padding:6px 8px;font-size:12.5px;color:var(--muted);overflow-wrap:anywhere}figcaption .name{color:var(--fg)}figcaption p{margin:4px 0 0;color:var(--fg);white-space:pre-line}
figcaption a{color:var(--accent)}.fav{color:#e0a100}footer{padding:16px 32px;color:var(--muted);font-size:13px}
`;

/** The page up to where the sections start: title, summary and the table of contents. */
export function pageStart(options: {
  title: string;
  summary: string[];
  nav: { heading: string; entries: NavEntry[] }[];
}): string {
  const nav = options.nav
    .filter((n) => n.entries.length > 0)
    .map(
      (n) =>
        `<h2>${htmlEscape(n.heading)}</h2><ul>${n.entries
          .map(
            (e) =>
              `<li><a href="#${htmlEscape(e.id)}">${htmlEscape(e.label)}</a> <small>${e.count}</small></li>`,
          )
          .join('')}</ul>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${htmlEscape(options.title)}</title>
<style>${style}</style>
</head>
<body>
<header><h1>${htmlEscape(options.title)}</h1>
${options.summary.map((line) => `<p>${htmlEscape(line)}</p>`).join('\n')}
</header>
<nav>
${nav}
</nav>
<main>
`;
}

export const pageEnd = (footer: string): string =>
  `</main>\n<footer>${htmlEscape(footer)}</footer>\n</body>\n</html>\n`;
