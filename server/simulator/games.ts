// A whole games from a seed and a size: world, athletes, schedule, play-by-play, stories, the audience model
// with its injected reactions and decoys, and the ground truth. Small enough to hold in memory for any size;
// the user actions are generated from it step by step (see user-actions.ts).
import { AudienceModel } from "./audience";
import { generateAthletes } from "./athletes";
import { generateDecoys } from "./decoys";
import type { Injections } from "./injections";
import { generatePlayByPlay } from "./play-by-play";
import { generateReactions } from "./reactions";
import { generateSchedule } from "./schedule";
import { GAMES_SIZES } from "./sizes";
import { generateStories } from "./stories";
import type {
  Athlete,
  GamesManifest,
  GamesSession,
  GamesSizeName,
  GroundTruthMoment,
  PlayByPlayEvent,
  Story,
} from "./types";
import { ActionGenerator } from "./user-actions";
import { chooseWorld, utcOffsetMinutes } from "./world";

/** Games begin on this day unless told otherwise (the first day of a fictional summer games). */
export const DEFAULT_GAMES_DAY = Date.UTC(2026, 6, 24);

export interface GamesOptions {
  seed: number;
  size: GamesSizeName;
  /** Epoch ms; default: DEFAULT_GAMES_DAY at 18:00 host time (small) or midnight host time. */
  start?: number;
  /** Overrides the size's average baseline volume (actions per second). */
  actionsPerSecond?: number;
}

export interface GamesPlan {
  manifest: GamesManifest;
  athletes: Athlete[];
  sessions: GamesSession[];
  playByPlay: PlayByPlayEvent[];
  stories: Story[];
  groundTruth: GroundTruthMoment[];
  audience: AudienceModel;
  injections: Injections;
}

export function planGames(options: GamesOptions): GamesPlan {
  const size = GAMES_SIZES[options.size];
  const seed = options.seed;
  const provisional = chooseWorld(seed, size, options.start ?? DEFAULT_GAMES_DAY);
  const host = provisional.markets.find((m) => m.code === provisional.hostCountry)!;
  const hostMidnight = DEFAULT_GAMES_DAY - utcOffsetMinutes(host.timeZone, DEFAULT_GAMES_DAY) * 60_000;
  const start = options.start ?? hostMidnight + (size.name === "small" ? 18 : 0) * 3_600_000;
  const { markets, sports, hostCountry } = chooseWorld(seed, size, start);
  const end = start + size.hours * 3_600_000;
  const athletes = generateAthletes(seed, markets, sports);
  const sessions = generateSchedule({
    seed,
    size,
    start,
    end,
    host: markets.find((m) => m.code === hostCountry)!,
    sports,
    athletes,
  });
  const playByPlay = generatePlayByPlay(seed, sessions, sports, athletes, markets);
  const stories = generateStories({
    seed,
    count: size.storyCount,
    start,
    athletes,
    sessions,
    playByPlay,
    markets,
    sports,
  });
  const actionsPerSecond = options.actionsPerSecond ?? size.actionsPerSecond;
  const audience = new AudienceModel(markets, sports, sessions, start, end, actionsPerSecond);
  const reactions = generateReactions(seed, audience, playByPlay);
  const decoys = generateDecoys(seed, audience, size.decoysPerDay);
  const groundTruth = [...reactions.moments, ...decoys.moments].sort(
    (a, b) => a.start - b.start || a.id.localeCompare(b.id),
  );
  return {
    manifest: {
      format: "peaklight-games/1",
      id: `games-${size.name}-${seed}`,
      name: `Simulated games (${size.name}, seed ${seed})`,
      seed,
      size: size.name,
      hostCountry,
      start,
      end,
      markets,
      sports,
      actionsPerSecond,
    },
    athletes,
    sessions,
    playByPlay,
    stories,
    groundTruth,
    audience,
    injections: { pulses: [...reactions.pulses, ...decoys.pulses], outages: decoys.outages },
  };
}

export function actionGenerator(plan: GamesPlan): ActionGenerator {
  return new ActionGenerator(plan.audience, plan.injections, plan.manifest.seed);
}
