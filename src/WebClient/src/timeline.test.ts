import { describe, expect, it } from "vitest";
import { newDay, newTimeline, withMessage, withNewer, withOlder, withoutMessage } from "./timeline";
import { messageAt as at } from "./test-messages";
import type { Message } from "./types";

const seqs = (messages: Message[]) => messages.map((m) => m.seq);

describe("timeline", () => {
  it("appends live messages only when it reaches the newest one", () => {
    const atEnd = newTimeline([at(1), at(2)], false, true, null, 1);
    const behind = newTimeline([at(1), at(2)], false, false, null, 1);
    expect(seqs(withMessage(atEnd, at(3)).messages)).toEqual([1, 2, 3]);
    expect(withMessage(behind, at(3))).toBe(behind);
  });

  it("keeps the newest state of a message and ignores an older one", () => {
    const timeline = newTimeline([at(1), at(2, 5, "edited")], false, true, null, 1);
    expect(withMessage(timeline, at(2, 3, "stale"))).toBe(timeline);
    expect(withMessage(timeline, at(2, 6, "again")).messages[1].content).toBe("again");
  });

  it("fills a hole in order and never duplicates a message", () => {
    const timeline = newTimeline([at(1), at(3)], false, true, null, 1);
    const filled = withMessage(withMessage(timeline, at(2)), at(2));
    expect(seqs(filled.messages)).toEqual([1, 2, 3]);
  });

  it("prepends older pages, moving the first index back by what it added", () => {
    const timeline = newTimeline([at(51), at(52)], true, true, null, 1);
    const older = withOlder(timeline, [at(49), at(50), at(51)], false);
    expect(seqs(older.messages)).toEqual([49, 50, 51, 52]);
    expect(older.firstIndex).toBe(timeline.firstIndex - 2);
    expect(older.hasOlder).toBe(false);
  });

  it("leaves a message older than the window out while history remains to load", () => {
    const timeline = newTimeline([at(51)], true, true, null, 1);
    expect(withMessage(timeline, at(10))).toBe(timeline);
  });

  it("appends newer pages and knows when it reached the end", () => {
    const timeline = newTimeline([at(1)], false, false, 1, 1);
    const newer = withNewer(timeline, [at(2), at(3)], true);
    expect(seqs(newer.messages)).toEqual([1, 2, 3]);
    expect(newer.atEnd).toBe(false);
    expect(withNewer(newer, [at(4)], false).atEnd).toBe(true);
  });

  it("drops a message hidden for the caller", () => {
    expect(seqs(withoutMessage(newTimeline([at(1), at(2)], false, true, null, 1), 1).messages)).toEqual([2]);
  });

  it("puts a day separator between messages of different days", () => {
    expect(newDay(undefined, "2026-11-28T10:00:00Z")).toBe(true);
    expect(newDay("2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z")).toBe(false);
    expect(newDay("2026-11-20T10:00:00Z", "2026-11-28T10:00:00Z")).toBe(true);
  });
});
