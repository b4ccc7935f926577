/**
 * A request/reply subject together with the types of its request and its reply, so a call
 * site cannot send the wrong payload or misread the answer. Subjects follow
 * `<service>.<entity>.<action>`; events use the past tense (`review.record.approved`).
 */
export interface Subject<TRequest, TReply> {
  readonly name: string;
  /** Phantom fields: never set, they only carry the types. */
  readonly __request?: TRequest;
  readonly __reply?: TReply;
}

export function subject<TRequest, TReply>(name: string): Subject<TRequest, TReply> {
  if (!/^[a-z]+(\.[a-zA-Z]+){2,}$/.test(name)) throw new Error(`bad subject name: ${name}`);
  return { name };
}

/**
 * A fan-out event: published once, delivered to EVERY subscriber (each replica of each app that
 * listens), with no reply and no queue group. For state every replica caches (token versions).
 */
export interface EventSubject<TPayload> {
  readonly name: string;
  readonly __event?: TPayload;
}

export function eventSubject<TPayload>(name: string): EventSubject<TPayload> {
  return subject<TPayload, never>(name) as EventSubject<TPayload>;
}

export type PayloadOf<E> = E extends EventSubject<infer P> ? P : never;

export type RequestOf<S> = S extends Subject<infer R, unknown> ? R : never;
export type ReplyOf<S> = S extends Subject<unknown, infer R> ? R : never;
