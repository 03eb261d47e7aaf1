// What a detail page links to: the attachments that may hold the report ("详见附件": TRS
// `P0…` links, also those written by scripts, Hanweb `downfile.jsp?showname=`, the
// `<meta name=Image>` some sites use) and the images of a page whose report is pictures.
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';
import { plainText } from './dom.js';

export interface Link {
  url: string;
  /** the name the page gives it (link text, title, download, showname) */
  name: string;
}

const DOCUMENT = /\.(pdf|docx?|wps|ofd|jpe?g|png|gif|tiff?|bmp)(?:$|[?#])/i;
const SCRIPT_LINK = /href\s*=\s*\\?["']([^"'\\]+\.(?:pdf|docx?|wps|ofd))\\?["'][^>]*>([^<]*)</gi;
/** Page furniture, not content: logos, icons, QR codes, banners, accessibility and error-report badges. */
const CHROME_IMAGE = /logo|icon|ico_|banner|ewm|qrcode|erweima|wza|jiucuo|dzjg|gongan|beian|blank|spacer|weixin|weibo|arrow|btn|^bg[_.]/i;
/** Elements that hold a page's content, as the CMS families name them. */
const CONTENT = /TRS_Editor|TRS_UEDITOR|trs_editor|zoom|vsb_content|v_news_content|UCAP-CONTENT|article|content|detail|insertfile|attach|xxgk|hap_xq/i;
const fileName = (url: string) => decodeURIComponent(url.split(/[?#]/)[0]!.split('/').pop() ?? '');

function inContent(el: Element): boolean {
  for (let p = el.parent as Element | null; p && p.type === 'tag'; p = p.parent as Element | null) {
    if (CONTENT.test(`${p.attribs.class ?? ''} ${p.attribs.id ?? ''}`)) return true;
  }
  return false;
}

function attr(el: Element, name: string): string | undefined {
  const v = el.attribs[name] ?? el.attribs[name.toUpperCase()];
  return v?.trim() || undefined;
}

/** Only web addresses: http(s), or relative ones when the page's own address is unknown. */
function resolveUrl(href: string, base?: string): string | null {
  // browsers ignore tabs and newlines inside a URL ("java\tscript:")
  const h = href.replace(/[\t\n\r]/g, '').trim();
  try {
    const u = new URL(h, base ?? 'relative:/');
    if (u.protocol === 'relative:') return /^[a-z][a-z0-9+.-]*:/i.test(h) ? null : h;
    return /^https?:$/.test(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

export function pageLinks(html: string, pageUrl?: string): { attachments: Link[]; images: string[] } {
  const attachments: Array<Link & { content: boolean }> = [];
  const images: string[] = [];
  const seen = new Set<string>();
  const dom = parseDocument(html);
  // a page may say where its relative links start
  let base = pageUrl;
  let baseTag: Element | null = null;
  for (const walk: AnyNode[] = [dom]; walk.length && !baseTag; ) {
    const c = walk.pop()!;
    if (c.type === 'tag' && (c as Element).name === 'base' && (c as Element).attribs.href) baseTag = c as Element;
    for (const k of (c as unknown as { children?: AnyNode[] }).children ?? []) walk.push(k);
  }
  if (baseTag) base = resolveUrl(baseTag.attribs.href!, pageUrl) ?? base;
  const add = (href: string | undefined, name: string, content: boolean) => {
    const url = href ? resolveUrl(href, base) : null;
    if (!url || seen.has(url)) return;
    seen.add(url);
    attachments.push({ url, name: name.replace(/\s+/g, ' ').trim(), content });
  };
  const stack: AnyNode[] = [dom];
  while (stack.length) {
    const n = stack.pop()!;
    const kids = (n as unknown as { children?: AnyNode[] }).children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    if (n.type === 'script') {
      for (const m of plainText(n).matchAll(SCRIPT_LINK)) add(m[1], m[2] ?? '', true);
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
      const name = attr(el, 'title') ?? attr(el, 'download') ?? (showname || plainText(el));
      if (DOCUMENT.test(href) || /downfile/i.test(href) || attr(el, 'appendix') === 'true' || DOCUMENT.test(name)) add(href, name, inContent(el));
    } else if (el.name === 'img') {
      const src = attr(el, 'src') ?? attr(el, 'data-src') ?? attr(el, 'oldsrc');
      const url = src ? resolveUrl(src, base) : null;
      if (url && !CHROME_IMAGE.test(fileName(url)) && !images.includes(url)) images.push(url);
    } else if (el.name === 'meta' && /^image$/i.test(attr(el, 'name') ?? '') && DOCUMENT.test(attr(el, 'content') ?? '')) {
      add(attr(el, 'content'), '', true);
    }
  }
  // the page's own attachments before links elsewhere on it (a sidebar of other years'
  // reports), the one named as the report first, documents before images
  const rank = (l: Link & { content: boolean }) => (l.content ? 0 : 4) + (/年度报告|年报/.test(l.name) ? 0 : 2) + (/\.(jpe?g|png|gif|tiff?|bmp)/i.test(l.url) ? 1 : 0);
  attachments.sort((a, b) => rank(a) - rank(b));
  return { attachments: attachments.map(({ url, name }) => ({ url, name })), images };
}
