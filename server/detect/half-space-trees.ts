// Streaming Half-Space Trees (Tan, Ting & Liu 2011): random axis-aligned splits of [0,1]^d, mass counted per
// node over a reference window that is relearned every `referenceWindow` points. A point landing where the
// last window put little mass is anomalous. Fixed memory; structure regenerated from the seed.
import type { ForestConfig } from "./config";

/** Share of a window's points below which a node is too sparse to descend into (the paper's 0.1). */
const SIZE_LIMIT_SHARE = 0.1;

export interface HalfSpaceForestState {
  reference: number[];
  latest: number[];
  pointsInWindow: number;
  windowsCompleted: number;
}

/** The random splits: the same for every series with the same config, so built once and shared. */
interface ForestStructure {
  splitDimension: Uint8Array;
  splitValue: Float64Array;
}
const structures = new Map<string, ForestStructure>();

export class HalfSpaceForest {
  private readonly nodesPerTree: number;
  private readonly internalPerTree: number;
  private readonly structure: ForestStructure;
  /** Reference and latest mass of node i side by side (2i, 2i+1): one cache line per node on the hot path. */
  private readonly masses: Uint16Array;
  private pointsInWindow: number;
  private windowsCompleted: number;
  private readonly sizeLimit: number;

  constructor(
    private readonly config: ForestConfig,
    private readonly dimensions: number,
    state?: HalfSpaceForestState,
  ) {
    this.internalPerTree = 2 ** config.depth - 1;
    this.nodesPerTree = 2 ** (config.depth + 1) - 1;
    this.structure = this.sharedStructure();
    const size = config.trees * this.nodesPerTree;
    this.masses = new Uint16Array(2 * size);
    if (state) {
      if (state.reference.length !== size || state.latest.length !== size) {
        throw new Error(`forest state has ${state.reference.length} nodes, its config expects ${size}`);
      }
      for (let node = 0; node < size; node += 1) {
        this.masses[2 * node] = state.reference[node]!;
        this.masses[2 * node + 1] = state.latest[node]!;
      }
    }
    this.pointsInWindow = state?.pointsInWindow ?? 0;
    this.windowsCompleted = state?.windowsCompleted ?? 0;
    this.sizeLimit = SIZE_LIMIT_SHARE * config.referenceWindow;
  }

  /** True once one full reference window has been learned. */
  get ready(): boolean {
    return this.windowsCompleted > 0;
  }

  toJSON(): HalfSpaceForestState {
    const size = this.masses.length / 2;
    const reference = new Array<number>(size);
    const latest = new Array<number>(size);
    for (let node = 0; node < size; node += 1) {
      reference[node] = this.masses[2 * node]!;
      latest[node] = this.masses[2 * node + 1]!;
    }
    return {
      reference,
      latest,
      pointsInWindow: this.pointsInWindow,
      windowsCompleted: this.windowsCompleted,
    };
  }

  /**
   * Mass density around the point relative to a uniform spread (1 = as dense as uniform), averaged over the
   * trees; 0 where the reference window had nothing nearby.
   */
  density(point: ArrayLike<number>): number {
    return this.walk(point, false);
  }

  /** Counts the point into the current window; a full window becomes the reference. */
  learn(point: ArrayLike<number>): void {
    this.walk(point, true);
  }

  /** `density` then `learn` in one walk per tree: the scoring path is a prefix of the learning path. */
  densityThenLearn(point: ArrayLike<number>): number {
    return this.walk(point, true);
  }

  private walk(point: ArrayLike<number>, learn: boolean): number {
    const { depth, trees, referenceWindow } = this.config;
    const { masses, sizeLimit } = this;
    const { splitDimension, splitValue } = this.structure;
    let total = 0;
    for (let tree = 0; tree < trees; tree += 1) {
      const nodeBase = tree * this.nodesPerTree;
      const splitBase = tree * this.internalPerTree;
      let node = 0;
      let stopped = false;
      if (learn) masses[2 * nodeBase + 1]! += 1;
      for (let level = 0; level < depth; level += 1) {
        const mass = masses[2 * (nodeBase + node)]!;
        if (!stopped && mass < sizeLimit) {
          total += mass * (1 << level);
          stopped = true;
          if (!learn) break;
        }
        const goRight = point[splitDimension[splitBase + node]!]! >= splitValue[splitBase + node]!;
        node = 2 * node + (goRight ? 2 : 1);
        if (learn) masses[2 * (nodeBase + node) + 1]! += 1;
      }
      if (!stopped) total += masses[2 * (nodeBase + node)]! * (1 << depth);
    }
    if (learn) this.countPoint(referenceWindow);
    return total / (trees * referenceWindow);
  }

  private countPoint(referenceWindow: number): void {
    this.pointsInWindow += 1;
    if (this.pointsInWindow < referenceWindow) return;
    const { masses } = this;
    for (let index = 0; index < masses.length; index += 2) {
      masses[index] = masses[index + 1]!;
      masses[index + 1] = 0;
    }
    this.pointsInWindow = 0;
    this.windowsCompleted += 1;
  }

  private sharedStructure(): ForestStructure {
    const { seed, trees, depth } = this.config;
    const key = `${seed}|${trees}|${depth}|${this.dimensions}`;
    let structure = structures.get(key);
    if (!structure) {
      structure = buildStructure(trees, depth, this.dimensions, seed, this.internalPerTree);
      structures.set(key, structure);
    }
    return structure;
  }
}

/** Each tree halves a random work range around [0,1]^d, one random dimension per node. */
function buildStructure(
  trees: number,
  depth: number,
  dimensions: number,
  seed: number,
  internalPerTree: number,
): ForestStructure {
  const random = splitRandom(seed);
  const structure = {
    splitDimension: new Uint8Array(trees * internalPerTree),
    splitValue: new Float64Array(trees * internalPerTree),
  };
  const split = (base: number, node: number, level: number, low: Float64Array, high: Float64Array): void => {
    if (level >= depth) return;
    const dimension = Math.floor(random() * dimensions);
    const middle = (low[dimension]! + high[dimension]!) / 2;
    structure.splitDimension[base + node] = dimension;
    structure.splitValue[base + node] = middle;
    const leftHigh = Float64Array.from(high);
    leftHigh[dimension] = middle;
    split(base, 2 * node + 1, level + 1, low, leftHigh);
    const rightLow = Float64Array.from(low);
    rightLow[dimension] = middle;
    split(base, 2 * node + 2, level + 1, rightLow, high);
  };
  for (let tree = 0; tree < trees; tree += 1) {
    const low = new Float64Array(dimensions);
    const high = new Float64Array(dimensions);
    for (let dimension = 0; dimension < dimensions; dimension += 1) {
      const anchor = random();
      const reach = 2 * Math.max(anchor, 1 - anchor);
      low[dimension] = anchor - reach;
      high[dimension] = anchor + reach;
    }
    split(tree * internalPerTree, 0, 0, low, high);
  }
  return structure;
}

/**
 * mulberry32, kept here rather than shared with the simulator: persisted forests are rebuilt from their seed,
 * so this sequence must never change under them.
 */
function splitRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
