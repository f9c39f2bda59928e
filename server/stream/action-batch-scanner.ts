// The worker's hot path of decoding: reads a batch message in the exact bytes encodeActions writes
// ({"v":1,"country":…,"sport":…,"actions":[{"type":…,"ts":…},…]}) straight from the buffer, with no JSON
// tree and no object per action, and hands each action to a sink. It accepts only that canonical form, and
// only when every field passes the same rules as the v1 batch schema; anything else (other key order,
// whitespace, escapes, extra keys, a bad field, a single action) goes through JSON.parse and the schema in
// messages.ts, which accept it or give the reason to dead-letter it.
import * as messages from "./messages";
import { decodeActions, type ActionType } from "./messages";

// Copied into plain constants: imports compile to getters, too slow to read once per byte.
const ACTION_TYPES: readonly ActionType[] = [...messages.ACTION_TYPES];
const COUNTRY_TOTAL_SPORT = messages.COUNTRY_TOTAL_SPORT;
const MAX_ACTIONS = messages.MAX_ACTIONS_PER_MESSAGE;

/** One scanned message: its series, and `count` actions in the module's scratch columns. */
export interface ScannedBatch {
  country: string;
  sport: string;
  count: number;
}

const ascii = (text: string) => Buffer.from(text, "latin1");
const PREFIX = ascii('{"v":1,"country":"');
const AFTER_COUNTRY = ascii('","sport":"');
const AFTER_SPORT = ascii('","actions":[');
const ACTION_START = ascii('{"type":"');
const AFTER_TYPE = ascii('","ts":');
const TYPE_BYTES = ACTION_TYPES.map((type) => ascii(type));
/** Index in ACTION_TYPES by a type's first byte (they all differ), −1 for any other byte. */
const TYPE_BY_FIRST_BYTE = new Int8Array(256).fill(-1);
ACTION_TYPES.forEach((type, index) => (TYPE_BY_FIRST_BYTE[type.charCodeAt(0)] = index));

const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const ZERO = 0x30;
const NINE = 0x39;
/** The largest ts (digits) that stays an exact, safe integer: JSON numbers beyond it fail the schema. */
const MAX_TS_DIGITS = 16;

/**
 * Scratch columns the scanner fills and its caller reads before the next scan (one thread, synchronous):
 * reused so a message costs no allocation per action.
 */
export const scannedTypes = new Uint8Array(MAX_ACTIONS);
export const scannedTimes = new Float64Array(MAX_ACTIONS);

export function actionTypeAt(index: number): ActionType {
  return ACTION_TYPES[scannedTypes[index]!]!;
}

function matches(bytes: Buffer, at: number, literal: Buffer): boolean {
  if (at + literal.length > bytes.length) return false;
  for (let i = 0; i < literal.length; i++) if (bytes[at + i] !== literal[i]) return false;
  return true;
}

const isUpper = (byte: number | undefined) => byte !== undefined && byte >= 0x41 && byte <= 0x5a;
const isSlugByte = (byte: number) =>
  (byte >= 0x61 && byte <= 0x7a) || (byte >= ZERO && byte <= NINE) || byte === 0x2d;

/**
 * The message's series and actions if it is a canonical, valid v1 batch; undefined otherwise (not
 * necessarily invalid: the caller then decodes it the general way).
 */
export function scanActionBatch(bytes: Buffer): ScannedBatch | undefined {
  const end = bytes.length;
  if (!matches(bytes, 0, PREFIX)) return undefined;
  const countryAt = PREFIX.length;
  if (!isUpper(bytes[countryAt]) || !isUpper(bytes[countryAt + 1])) return undefined;
  if (!matches(bytes, countryAt + 2, AFTER_COUNTRY)) return undefined;
  const sportAt = countryAt + 2 + AFTER_COUNTRY.length;
  let at = sportAt;
  while (at < end && isSlugByte(bytes[at]!)) at++;
  const sportLength = at - sportAt;
  if (sportLength < 2 || sportLength > 40 || !matches(bytes, at, AFTER_SPORT)) return undefined;
  const sport = bytes.toString("latin1", sportAt, at);
  if (sport === COUNTRY_TOTAL_SPORT) return undefined;
  at += AFTER_SPORT.length;

  let count = 0;
  for (;;) {
    if (count === MAX_ACTIONS || !matches(bytes, at, ACTION_START)) return undefined;
    at += ACTION_START.length;
    const type = TYPE_BY_FIRST_BYTE[bytes[at] ?? 0]!;
    if (type < 0 || !matches(bytes, at, TYPE_BYTES[type]!)) return undefined;
    at += TYPE_BYTES[type]!.length;
    if (!matches(bytes, at, AFTER_TYPE)) return undefined;
    at += AFTER_TYPE.length;
    // A positive integer: no sign, no leading zero, no fraction or exponent.
    const first = bytes[at];
    if (first === undefined || first <= ZERO || first > NINE) return undefined;
    const digitsAt = at;
    let ts = 0;
    while (at < end && bytes[at]! >= ZERO && bytes[at]! <= NINE) ts = ts * 10 + (bytes[at++]! - ZERO);
    if (at - digitsAt > MAX_TS_DIGITS || ts > Number.MAX_SAFE_INTEGER) return undefined;
    if (bytes[at] !== CLOSE_BRACE) return undefined;
    at++;
    scannedTypes[count] = type;
    scannedTimes[count] = ts;
    count++;
    if (bytes[at] === COMMA) {
      at++;
      continue;
    }
    if (bytes[at] === CLOSE_BRACKET && bytes[at + 1] === CLOSE_BRACE && at + 2 === end) break;
    return undefined;
  }
  return { country: bytes.toString("latin1", countryAt, countryAt + 2), sport, count };
}

/** Receives a message's actions without any object being built per action. */
export interface ActionSink {
  /** The series every following action belongs to, until the next call. */
  series(country: string, sport: string): void;
  action(type: ActionType, ts: number): void;
}

export type DecodeIntoResult = { ok: true; actions: number } | { ok: false; reason: string };

/**
 * Decodes one message (either shape) into `sink`, or returns the reason to dead-letter it; a message that
 * fails hands nothing to the sink. Same acceptance and results as decodeActions.
 */
export function decodeActionsInto(bytes: Buffer | string | null, sink: ActionSink): DecodeIntoResult {
  if (bytes !== null && typeof bytes !== "string") {
    const scanned = scanActionBatch(bytes);
    if (scanned) {
      sink.series(scanned.country, scanned.sport);
      for (let i = 0; i < scanned.count; i++) sink.action(actionTypeAt(i), scannedTimes[i]!);
      return { ok: true, actions: scanned.count };
    }
  }
  const decoded = decodeActions(bytes);
  if (!decoded.ok) return decoded;
  const { country, sport, actions } = decoded.series;
  sink.series(country, sport);
  for (const { type, ts } of actions) sink.action(type, ts);
  return { ok: true, actions: actions.length };
}
