import type { Message } from "./types";

/**
 * The window of a conversation's messages that the client holds: contiguous in seq (as the caller sees them),
 * ascending. `atEnd` says it reaches the conversation's newest message, so live messages extend it; otherwise
 * they wait until the reader scrolls down. `firstIndex` only ever decreases, by the number of messages put in
 * front, as the virtualised list needs to keep its place when history is prepended.
 */
export interface Timeline {
  messages: Message[];
  hasOlder: boolean;
  atEnd: boolean;
  firstIndex: number;
  highlight: number | null;
  /** Changes on every jump (open, deep link, search hit), so the list starts again at its target. */
  jump: number;
}

export function newTimeline(messages: Message[], hasOlder: boolean, atEnd: boolean, highlight: number | null, jump: number): Timeline {
  return { messages, hasOlder, atEnd, firstIndex: 1_000_000_000, highlight, jump };
}

function indexOf(messages: Message[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (messages[mid].seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The timeline with this message put in (a newer state of one it holds, or a new one inside its window). */
export function withMessage(timeline: Timeline, message: Message): Timeline {
  const messages = timeline.messages;
  const at = indexOf(messages, message.seq);
  if (at < messages.length && messages[at].seq === message.seq) {
    if (messages[at].version > message.version) return timeline;
    const next = messages.slice();
    next[at] = message;
    return { ...timeline, messages: next };
  }

  const first = messages[0]?.seq;
  if (at === messages.length && !timeline.atEnd) return timeline; // beyond the window: loaded when scrolled to
  if (at === 0 && first !== undefined && message.seq < first && timeline.hasOlder) return timeline;
  const next = messages.slice();
  next.splice(at, 0, message);
  return { ...timeline, messages: next, firstIndex: at === 0 && messages.length > 0 ? timeline.firstIndex - 1 : timeline.firstIndex };
}

export function withoutMessage(timeline: Timeline, seq: number): Timeline {
  const at = indexOf(timeline.messages, seq);
  if (timeline.messages[at]?.seq !== seq) return timeline;
  const next = timeline.messages.slice();
  next.splice(at, 1);
  return { ...timeline, messages: next };
}

/** Older history put in front (from a `before=` page). */
export function withOlder(timeline: Timeline, older: Message[], hasMore: boolean): Timeline {
  const first = timeline.messages[0]?.seq ?? Infinity;
  const fresh = older.filter((m) => m.seq < first);
  return { ...timeline, messages: [...fresh, ...timeline.messages], hasOlder: hasMore, firstIndex: timeline.firstIndex - fresh.length };
}

/** Newer history put behind (from an `after=` page). */
export function withNewer(timeline: Timeline, newer: Message[], hasMore: boolean): Timeline {
  let next = { ...timeline, atEnd: true };
  for (const message of newer) next = withMessage(next, message);
  return { ...next, atEnd: !hasMore };
}

export function find(timeline: Timeline | undefined, seq: number): Message | undefined {
  if (!timeline) return undefined;
  const message = timeline.messages[indexOf(timeline.messages, seq)];
  return message?.seq === seq ? message : undefined;
}

/** Whether two instants fall on different local days (a day separator goes between them). */
export function newDay(previous: string | undefined, current: string): boolean {
  return previous === undefined || new Date(previous).toDateString() !== new Date(current).toDateString();
}
