// What a detail page links to: the attachments that may hold the report ("详见附件": TRS
// `P0…` links, also those written by scripts, Hanweb `downfile.jsp?showname=`, the
// `<meta name=Image>` some sites use) and the images of a page whose report is pictures.
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';

export interface Link {
  url: string;
  /** the name the page gives it (link text, title, download, showname) */
  name: string;
}

const DOCUMENT = /\.(pdf|docx?|wps|ofd|jpe?g|png|gif|tiff?|bmp)(?:$|[?#])/i;
const SCRIPT_LINK = /href\s*=\s*\\?["']([^"'\\]+\.(?:pdf|docx?|wps|ofd))\\?["'][^>]*>([^<]*)</gi;
/** Page furniture, not content: logos, icons, QR codes, banners, accessibility and error-report badges. */
const CHROME_IMAGE = /logo|icon|ico_|banner|ewm|qrcode|erweima|wza|jiucuo|jcms_files|dzjg|gongan|beian|blank|spacer|share|weixin|weibo|arrow|btn|bg[_.]/i;

function attr(el: Element, name: string): string | undefined {
  const v = el.attribs[name] ?? el.attribs[name.toUpperCase()];
  return v?.trim() || undefined;
}

function textOf(n: AnyNode): string {
  if (n.type === 'text') return (n as unknown as { data: string }).data;
  return ((n as unknown as { children?: AnyNode[] }).children ?? []).map(textOf).join('');
}

function resolveUrl(href: string, base?: string): string | null {
  if (/^(javascript|mailto|tel|data):/i.test(href)) return null;
  try {
    return base ? new URL(href, base).href : href;
  } catch {
    return null;
  }
}

export function pageLinks(html: string, base?: string): { attachments: Link[]; images: string[] } {
  const attachments: Link[] = [];
  const images: string[] = [];
  const seen = new Set<string>();
  const add = (href: string | undefined, name: string) => {
    const url = href ? resolveUrl(href, base) : null;
    if (!url || seen.has(url)) return;
    seen.add(url);
    attachments.push({ url, name: name.replace(/\s+/g, ' ').trim() });
  };
  const stack: AnyNode[] = [parseDocument(html)];
  while (stack.length) {
    const n = stack.pop()!;
    const kids = (n as unknown as { children?: AnyNode[] }).children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    if (n.type === 'script') {
      for (const m of textOf(n).matchAll(SCRIPT_LINK)) add(m[1], m[2] ?? '');
      continue;
    }
    if (n.type !== 'tag') continue;
    const el = n as Element;
    if (el.name === 'a') {
      const href = attr(el, 'href');
      if (!href) continue;
      let showname = '';
      try {
        showname = new URL(href, 'http://x/').searchParams.get('showname') ?? '';
      } catch {
        // a malformed href has no showname
      }
      const name = attr(el, 'title') ?? attr(el, 'download') ?? (showname || textOf(el));
      if (DOCUMENT.test(href) || /downfile|download/i.test(href) || attr(el, 'appendix') === 'true' || DOCUMENT.test(name)) add(href, name);
    } else if (el.name === 'img') {
      const src = attr(el, 'src') ?? attr(el, 'data-src') ?? attr(el, 'oldsrc');
      const url = src ? resolveUrl(src, base) : null;
      if (url && !CHROME_IMAGE.test(url) && !images.includes(url)) images.push(url);
    } else if (el.name === 'meta' && /^image$/i.test(attr(el, 'name') ?? '') && DOCUMENT.test(attr(el, 'content') ?? '')) {
      add(attr(el, 'content'), '');
    }
  }
  // the report's own file first: its name says 年报 or 年度报告, then documents before images
  const rank = (l: Link) => (/年度报告|年报/.test(l.name) ? 0 : 2) + (/\.(jpe?g|png|gif|tiff?|bmp)/i.test(l.url) ? 1 : 0);
  attachments.sort((a, b) => rank(a) - rank(b));
  return { attachments, images };
}
