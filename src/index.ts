/**
 * zmq-interleave: property-based concurrency testing for ZeroMQ. Re-exports only: this list
 * is the public API, on purpose (test/surface/exports.test.ts snapshots its names). Checking
 * your own code in a vitest suite: `zmq-interleave/vitest`.
 */

// Interleavings: plain data (scenario + programs + schedule), their one-line text form, checks.
export type {
  ActorId,
  ErrorCode,
  History,
  HistoryEvent,
  Interleaving,
  Op,
  OpKind,
  OpResult,
  Ownership,
  PollEvent,
  Program,
  RaceChoices,
  Scenario,
  Schedule,
  SocketSpec,
  SocketType,
  Transport,
} from "./interleaving/types.js";
export { OP_KINDS, SOCKET_TYPES } from "./interleaving/types.js";
export { actorName, parseActorName } from "./interleaving/actor.js";
export { formatInterleaving, type FormatOptions } from "./interleaving/format.js";
export { parseInterleaving } from "./interleaving/parse.js";
export { interleavingProblems, validateInterleaving, MAX_TASK, MAX_TEXT, MAX_THREAD } from "./interleaving/validate.js";

// Errors: every error the kit throws on purpose is a KitError with a stable code.
export {
  KitError,
  KIT_ERROR_CODES,
  InvalidInterleavingError,
  InvalidOptionsError,
  ParseError,
  UnsupportedError,
  DescriptorBudgetError,
  PoolClosedError,
  RunFailedError,
  type DescriptorShortage,
  type KitErrorCode,
  type Problem,
} from "./errors.js";
export { MAX_TIME_LIMIT_MS } from "./input/options.js";

// Generating interleavings (fast-check arbitraries that shrink on their own).
export { interleavings, type InterleavingArbitraryOptions, type Printer } from "./arbitraries/interleavings.js";
export type { DrawStrategy, InterleavingConstraints } from "./arbitraries/constraints.js";
export { schedules, type ScheduleConstraints } from "./arbitraries/schedules.js";
export { scenarios, programsFor, type Cast } from "./arbitraries/scenarios.js";

// The reference model: pure, no sockets.
export { createModel, zeromqModel, type Model, type ModelOptions, type StepOptions, type StepResult } from "./model/model.js";
export type { ModelState } from "./model/state.js";
export type { Choose, Decisions, OpRef, RaceChooser, RaceKind, RacePoint } from "./model/decisions.js";
export { checkEveryRace, outcomeLabels, type EveryRaceOptions, type RaceCheck, type RaceOutcome } from "./model/every-race.js";
export { checkInterleaving, type CheckOptions, type CheckResult } from "./model/check.js";
export { checkDelivery, type DeliveryProblem, type DeliveryVerdict } from "./model/delivery.js";
export {
  END_RULES,
  MODEL_RULES,
  STEP_RULES,
  verdictLabel,
  type EndRule,
  type ExitHang,
  type ModelRule,
  type PendingOp,
  type Rule,
  type Stuck,
  type Verdict,
  type Violation,
} from "./model/verdict.js";

// Search: strategies that pick schedules (and, on the model, race outcomes), searches of one
// interleaving on the model or on real sockets, campaigns split into shards.
export type { Candidate, ChoiceKind, ChoicePoint, RandomSource, Selector, Strategy, StrategyName, Trace } from "./schedule/strategy.js";
export { random, type RandomOptions } from "./schedule/random.js";
export { pct, pctBound, type PctOptions } from "./schedule/pct.js";
export { exhaustive, type ExhaustiveOptions, type ExhaustiveProgress, type ExhaustiveStrategy } from "./schedule/exhaustive.js";
export { replaySchedule, type ReplaySource } from "./schedule/replay.js";
export { createStrategy, type StrategyChoice, type StrategySpec } from "./schedule/create.js";
export { strategyDraws, type StrategyDraw } from "./arbitraries/strategy-draws.js";
export { explore, type ExploreFailure, type ExploreOptions, type ExploreResult, type ModelExploreOptions } from "./campaign/explore.js";
export { exploreOnSockets, type SocketExploreOptions } from "./campaign/explore-sockets.js";
export { formatCoverage, mergeCoverage, readCoverage, type Coverage } from "./campaign/coverage.js";
export { runCampaign, campaignInterleaving, type CampaignFailure, type CampaignOptions, type CampaignResult } from "./campaign/campaign.js";
export { parseShard, type Shard } from "./campaign/shard.js";

// Running interleavings on real zeromq sockets, tasks and worker threads.
export { runInterleaving } from "./runtime/executor.js";
export type { RunOptions } from "./runtime/options.js";
export type { RunResult, RunVerdict, Diverged, Unknown, ProcessOutcome } from "./runtime/result.js";
export { WorkerPool, type WorkerPoolOptions } from "./runtime/pool.js";
export { DESCRIPTOR_COSTS, descriptorNeeds, type DescriptorNeeds } from "./runtime/descriptors.js";

// Reports: timelines (text, SVG, HTML), replay lines, fast-check printers.
export { renderTimeline, type TextTimelineOptions } from "./report/text.js";
export { renderTimelineSvg, renderTimelineHtml, type SvgTimelineOptions } from "./report/svg.js";
export { writeTimeline, type TimelineFileFormat, type WriteTimelineOptions } from "./report/write.js";
export type { TimelineInput, VerdictLike } from "./report/timeline.js";
export type { LabelOptions } from "./report/labels.js";
export { formatReplay, parseReplay, ReplayLineError, REPLAY_PREFIX, type ReplayLine, type ReplayLineProblem } from "./report/replayLine.js";
export { replay, type ModelReplayOptions, type ReplayResult, type ReplayRunner, type RunnerReplayOptions } from "./report/replay.js";
export { timelinePrinter, type TimelinePrinterOptions } from "./report/printer.js";
export { reportRun, timelineReporter } from "./report/reporter.js";

// Checking your own code: guarded sockets and the instrumented zeromq module (vitest helpers: zmq-interleave/vitest).
export { guard, handoff, isGuarded, rawSocket, type GuardOptions } from "./guard/guard.js";
export { GuardContext, createGuardContext, type GuardContextOptions } from "./guard/context.js";
export { OwnershipError, type OwnershipFacts } from "./guard/ownership-error.js";
export { guardedExit, installTeardownCheck } from "./guard/teardown.js";
export { instrument, createInstrumentedZmq, type ZmqModule, type InstrumentedZmqOptions } from "./instrument/instrument.js";
export { GuardRun, type GuardRunOptions } from "./instrument/guard-run.js";
export { runInterleaved, type InterleavedContext, type InterleavedReport, type RunInterleavedOptions } from "./instrument/run.js";
export type { GuardVerdict } from "./instrument/verdict.js";
export { checkInterleaves, assertInterleaves, InterleavingFailure, type InterleavesOptions, type InterleavesResult, type RunChoices } from "./instrument/check.js";
