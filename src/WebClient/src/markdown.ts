import MarkdownIt from "markdown-it";

// Message text as markdown, safely: raw HTML is escaped (html: false), markdown-it refuses javascript:, vbscript:
// and most data: links, and every link opens in a new tab without access to this one.
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
md.disable(["heading", "lheading", "hr", "table", "image", "reference"]);

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet("target", "_blank");
  tokens[idx].attrSet("rel", "noopener noreferrer");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(text: string): string {
  return md.render(text);
}

/** Plain text with HTML escaped, for messages sent as `plain`. */
export function renderPlain(text: string): string {
  return md.utils.escapeHtml(text).replace(/\n/g, "<br>");
}

/** A search snippet: the server marks hits with <mark>; everything else is shown as text. */
export function renderSnippet(snippet: string): string {
  return snippet
    .split(/(<\/?mark>)/)
    .map((part) => (part === "<mark>" || part === "</mark>" ? part : md.utils.escapeHtml(part)))
    .join("");
}
