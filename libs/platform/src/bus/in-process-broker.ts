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

interface QueueGroup {
  members: Delivery[];
  next: number;
}

export class InProcessBroker {
  private readonly subjects = new Map<string, Map<string, QueueGroup>>();
  private nextPlain = 0;

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
    const groups = this.subjects.get(subject);
    let delivered = 0;
    const frozen = { ...headers };
    for (const group of groups?.values() ?? []) {
      if (group.members.length === 0) continue;
      const member = group.members[group.next % group.members.length];
      group.next = (group.next + 1) % group.members.length;
      setImmediate(() => member(raw, { ...frozen }, reply, subject));
      delivered++;
    }
    return delivered;
  }

  subscriberCount(subject: string): number {
    let count = 0;
    for (const group of this.subjects.get(subject)?.values() ?? []) count += group.members.length;
    return count;
  }
}
