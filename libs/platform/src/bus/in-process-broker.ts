/**
 * The embedded default's message broker: subjects, queue groups and replies inside one
 * process. Messages are strings (JSON) so that nothing can pass by reference: what a
 * handler gets is exactly what NATS would have delivered.
 */
export type Reply = (raw: string) => void;
export type Delivery = (
  raw: string,
  headers: Record<string, string>,
  reply: Reply | undefined,
  subject: string,
) => void;

/** NATS's default `max_payload` (1 MB): the most one message (headers and data) may carry. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/**
 * A message over the broker's payload limit, as NATS refuses it (`MAX_PAYLOAD_EXCEEDED`): a
 * request is refused before it is sent, a reply throws in the replying handler and the
 * requester hears nothing (its request times out), exactly as over NATS.
 */
export class MaxPayloadExceededError extends Error {
  readonly code = 'MAX_PAYLOAD_EXCEEDED';

  constructor(
    readonly subject: string,
    readonly bytes: number,
    readonly maxPayload: number,
  ) {
    super(`MAX_PAYLOAD_EXCEEDED: ${bytes} bytes on ${subject}, the limit is ${maxPayload}`);
  }
}

/** A message's size as NATS counts it: the data plus the encoded headers block. */
export function messageBytes(raw: string, headers: Record<string, string>): number {
  const entries = Object.entries(headers);
  if (entries.length === 0) return Buffer.byteLength(raw);
  const block = entries.reduce((sum, [key, value]) => sum + Buffer.byteLength(`${key}: ${value}\r\n`), 12);
  return Buffer.byteLength(raw) + block;
}

interface QueueGroup {
  members: Delivery[];
  next: number;
}

export class InProcessBroker {
  private readonly subjects = new Map<string, Map<string, QueueGroup>>();
  private nextPlain = 0;

  /** `maxPayload`: the same limit as the NATS server's (1 MB unless it is configured otherwise). */
  constructor(readonly maxPayload: number = DEFAULT_MAX_PAYLOAD) {}

  /** Subscribes a handler; members of one queue group share the messages round-robin. */
  subscribe(subject: string, queue: string | undefined, delivery: Delivery): () => void {
    const groupName = queue ?? `plain:${this.nextPlain++}`;
    let groups = this.subjects.get(subject);
    if (!groups) this.subjects.set(subject, (groups = new Map()));
    let group = groups.get(groupName);
    if (!group) groups.set(groupName, (group = { members: [], next: 0 }));
    group.members.push(delivery);
    return () => {
      const members = group!.members;
      const index = members.indexOf(delivery);
      if (index >= 0) members.splice(index, 1);
      if (members.length === 0) groups!.delete(groupName);
      if (groups!.size === 0) this.subjects.delete(subject);
    };
  }

  /**
   * Delivers to one member of each queue group, asynchronously (as a network would), and
   * says how many received it. With none, a requester is told at once, as NATS tells a
   * request with a reply inbox ("no responders").
   */
  publish(subject: string, raw: string, headers: Record<string, string>, reply?: Reply): number {
    this.checkSize(subject, raw, headers);
    const groups = this.subjects.get(subject);
    let delivered = 0;
    const frozen = { ...headers };
    const checkedReply: Reply | undefined = reply && ((answer) => (this.checkSize(subject, answer, {}), reply(answer)));
    for (const group of groups?.values() ?? []) {
      if (group.members.length === 0) continue;
      const member = group.members[group.next % group.members.length];
      group.next = (group.next + 1) % group.members.length;
      setImmediate(() => member(raw, { ...frozen }, checkedReply, subject));
      delivered++;
    }
    return delivered;
  }

  private checkSize(subject: string, raw: string, headers: Record<string, string>): void {
    // Cheap first: a UTF-16 string's byte length is at most three bytes per code unit.
    if (raw.length * 3 <= this.maxPayload / 2) return;
    const bytes = messageBytes(raw, headers);
    if (bytes > this.maxPayload) throw new MaxPayloadExceededError(subject, bytes, this.maxPayload);
  }

  subscriberCount(subject: string): number {
    let count = 0;
    for (const group of this.subjects.get(subject)?.values() ?? []) count += group.members.length;
    return count;
  }
}
