import { describe, expect, it } from "vitest";
import { renderMarkdown, renderPlain, renderSnippet } from "./markdown";

describe("markdown", () => {
  it("renders bold, italic, code and links", () => {
    const html = renderMarkdown("**bold** _italic_ `code` [docs](https://example.org)");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>italic</em>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain('<a href="https://example.org" target="_blank" rel="noopener noreferrer">docs</a>');
  });

  it("never lets HTML through", () => {
    const html = renderMarkdown('<img src=x onerror="alert(1)"><script>alert(2)</script>');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;img");
  });

  it("refuses script links", () => {
    expect(renderMarkdown("[x](javascript:alert(1))")).not.toContain("href");
    expect(renderMarkdown("[x](data:text/html;base64,PHNjcmlwdD4=)")).not.toContain("href");
  });

  it("links bare addresses with the same protection", () => {
    expect(renderMarkdown("see https://example.org/a")).toContain('rel="noopener noreferrer"');
  });

  it("escapes plain text and search snippets except their marks", () => {
    expect(renderPlain("<b>x</b>\nnext")).toBe("&lt;b&gt;x&lt;/b&gt;<br>next");
    expect(renderSnippet("a <mark>hit</mark> <i>b</i>")).toBe("a <mark>hit</mark> &lt;i&gt;b&lt;/i&gt;");
  });
});
