// User actions, generated in 5-second steps: each step draws a Poisson count per series from its expected
// rate plus any reaction or decoy active then, spreads them over the step and sorts them by time. A step
// depends only on the seed and its index, so any part of a games can be generated on its own, in any order.
import { ACTION_TYPES, type UserAction } from "../stream/messages";
import type { AudienceModel } from "./audience";
import {
  ACTION_MIXES,
  MAX_PULSE_MS,
  outageFactor,
  pulseShape,
  type ActionMix,
  type Injections,
  type Pulse,
} from "./injections";
import { childSeed, poisson, seededRandom } from "./random";

export const STEP_MS = 5_000;
const MIX_NAMES = Object.keys(ACTION_MIXES) as ActionMix[];
// Packed action: offset in the step (ms) × 8192 + series × 4 + action type index; sorts by time.
const SERIES_LIMIT = 2_048;

export class ActionGenerator {
  readonly stepCount: number;
  private buffer = new Uint32Array(1 << 14);
  private readonly pulses: Pulse[];
  private readonly ramps: Pulse[];
  private readonly cumulativeMixes: number[][];
  private readonly linePrefixes: string[];

  constructor(
    private readonly model: AudienceModel,
    private readonly injections: Injections,
    private readonly seed: number,
  ) {
    if (model.series.length > SERIES_LIMIT) throw new Error(`At most ${SERIES_LIMIT} country × sport series`);
    this.stepCount = Math.ceil((model.end - model.start) / STEP_MS);
    this.pulses = injections.pulses.filter((p) => p.shape !== "ramp").sort((a, b) => a.start - b.start);
    this.ramps = injections.pulses.filter((p) => p.shape === "ramp");
    this.cumulativeMixes = MIX_NAMES.map((name) => {
      let sum = 0;
      return ACTION_MIXES[name].map((share) => (sum += share));
    });
    this.linePrefixes = model.series.flatMap((s) =>
      ACTION_TYPES.map(
        (type) => `{"v":1,"type":"${type}","country":"${s.country}","sport":"${s.sport}","ts":`,
      ),
    );
  }

  /** Epoch ms the step begins at. */
  stepStart(index: number): number {
    return this.model.start + index * STEP_MS;
  }

  /** The step's actions, packed and sorted by time (a view valid until the next call). */
  step(index: number): Uint32Array {
    const roll = seededRandom(childSeed(this.seed, "actions", index));
    const stepStart = this.stepStart(index);
    const stepEnd = Math.min(stepStart + STEP_MS, this.model.end);
    const stepMs = stepEnd - stepStart;
    if (stepMs <= 0) return this.buffer.subarray(0, 0);
    const mid = stepStart + stepMs / 2;
    const seconds = stepMs / 1_000;
    const outage = outageFactor(this.injections.outages, mid);
    const model = this.model;
    const diurnal = model.markets.map((_, m) => model.diurnal(m, mid));
    const live = model.sports.map((_, s) => model.liveSessions(s, mid));
    const extras = this.activeExtras(mid, outage);
    let length = 0;
    const emit = (series: number, count: number, mix: number) => {
      if (length + count > this.buffer.length) {
        const grown = new Uint32Array(Math.max(this.buffer.length * 2, length + count));
        grown.set(this.buffer.subarray(0, length));
        this.buffer = grown;
      }
      const cumulative = this.cumulativeMixes[mix]!;
      for (let i = 0; i < count; i++) {
        const roll1 = roll();
        let type = 0;
        while (type < 3 && roll1 >= cumulative[type]!) type++;
        this.buffer[length++] = Math.floor(roll() * stepMs) * 8192 + series * 4 + type;
      }
    };
    for (const series of model.series) {
      const rate =
        model.scale *
        series.weight *
        diurnal[series.market]! *
        model.liveFactor(series, mid, live[series.sportIndex]) *
        outage;
      emit(series.index, poisson(rate * seconds, roll), 0);
      const extra = extras.get(series.index);
      if (extra)
        extra.forEach(
          (perSecond, mix) => perSecond > 0 && emit(series.index, poisson(perSecond * seconds, roll), mix),
        );
    }
    const actions = this.buffer.subarray(0, length);
    actions.sort();
    return actions;
  }

  /** The step's actions as NDJSON lines, exactly as encodeUserAction writes them. */
  lines(index: number): string {
    return this.encode(this.step(index), this.stepStart(index));
  }

  /** NDJSON lines of packed actions from step(), whose step began at `stepStart`. */
  encode(actions: Uint32Array, stepStart: number): string {
    let text = "";
    for (let i = 0; i < actions.length; i++) {
      const packed = actions[i]!;
      text += `${this.linePrefixes[packed & 8191]}${stepStart + Math.floor(packed / 8192)}}\n`;
    }
    return text;
  }

  actions(index: number): UserAction[] {
    const stepStart = this.stepStart(index);
    return Array.from(this.step(index), (packed) => {
      const series = this.model.series[(packed & 8191) >> 2]!;
      return {
        v: 1,
        type: ACTION_TYPES[packed & 3]!,
        country: series.country,
        sport: series.sport,
        ts: stepStart + Math.floor(packed / 8192),
      };
    });
  }

  /** Extra actions per second per series and action mix from pulses active at `at`. */
  private activeExtras(at: number, outage: number): Map<number, number[]> {
    const extras = new Map<number, number[]>();
    const add = (pulse: Pulse) => {
      const shape = pulseShape(pulse, at);
      if (shape <= 0) return;
      const row = extras.get(pulse.series) ?? [0, 0, 0, 0];
      row[MIX_NAMES.indexOf(pulse.mix)]! += pulse.peakExtra * shape * outage;
      extras.set(pulse.series, row);
    };
    let low = 0;
    let high = this.pulses.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.pulses[mid]!.start < at - MAX_PULSE_MS) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.pulses.length && this.pulses[i]!.start <= at; i++) add(this.pulses[i]!);
    for (const ramp of this.ramps) add(ramp);
    return extras;
  }
}
