/** zmq-interleave: property-based concurrency testing for ZeroMQ. Re-exports only. */

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
export { actorName, parseActorName, sameActor, compareActors } from "./interleaving/actor.js";
export { describeOp, describeResult } from "./interleaving/describe.js";
export { formatInterleaving, formatOp, FORMAT_TAG, type FormatOptions } from "./interleaving/format.js";
export { parseInterleaving } from "./interleaving/parse.js";
export { interleavingProblems, validateInterleaving, MAX_TASK, MAX_TEXT, MAX_THREAD } from "./interleaving/validate.js";

export { KitError, InvalidInterleavingError, InvalidOptionsError, ParseError, UnsupportedError, type KitErrorCode, type Problem } from "./errors.js";

export {
  createModel,
  zeromqModel,
  pendingOps,
  actorStatus,
  predictReadable,
  predictWritable,
  type Model,
  type ModelOptions,
  type StepOptions,
  type StepResult,
} from "./model/model.js";
export type { ModelState } from "./model/state.js";
export type { Choose, Decisions, OpRef, RaceChooser, RaceKind, RacePoint } from "./model/decisions.js";
export { followRaces } from "./model/race-choices.js";
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
export { isOwner, socketBreach, exitBreach, type Breach, type PendingView, type SocketView } from "./model/rules.js";
export { violationSentence, stuckSentence, exitHangSentence } from "./model/sentences.js";
export { canLink, canRecv, canSend, canSubscribe, MAX_SYNC_OPERATIONS } from "./model/profile.js";

export { Walker, endsTurn, type Pick, type Chooser, type WalkerOptions } from "./schedule/walker.js";
export type { Candidate, ChoiceKind, ChoicePoint, RandomSource, Selector, Strategy, StrategyName, Trace } from "./schedule/strategy.js";
export { RecordingSelector } from "./schedule/recorder.js";
export { random, type RandomOptions } from "./schedule/random.js";
export { pct, pctBound, type PctOptions } from "./schedule/pct.js";
export { exhaustive, type ExhaustiveOptions, type ExhaustiveProgress, type ExhaustiveStrategy } from "./schedule/exhaustive.js";
export { replaySchedule, ReplaySelector, type ReplaySource } from "./schedule/replay.js";
export { seededRandom } from "./schedule/seeded.js";
export { createStrategy, type StrategyChoice, type StrategySpec } from "./schedule/create.js";

export { explore, type ExploreFailure, type ExploreOptions, type ExploreResult, type ModelExploreOptions } from "./campaign/explore.js";
export { exploreOnSockets, type SocketExploreOptions } from "./campaign/explore-sockets.js";
export { CoverageTally, formatCoverage, historyHash, histogramMedian, mergeCoverage, readCoverage, type Coverage, type CoveredRun } from "./campaign/coverage.js";
export { runCampaign, campaignInterleaving, type CampaignFailure, type CampaignOptions, type CampaignResult } from "./campaign/campaign.js";
export { parseShard, runSeed, shardRange, type Shard } from "./campaign/shard.js";

export { interleavings, InterleavingArbitrary, withPrinter, type InterleavingArbitraryOptions, type Printer } from "./arbitraries/interleavings.js";
export { resolveConstraints, DEFAULT_WEIGHTS, type DrawStrategy, type InterleavingConstraints, type ResolvedConstraints } from "./arbitraries/constraints.js";
export { shrinkInterleaving } from "./arbitraries/shrink.js";
export { strategyDraws, type StrategyDraw } from "./arbitraries/strategy-draws.js";
export { schedules, ScheduleArbitrary, type ScheduleConstraints } from "./arbitraries/schedules.js";
export { scenarios, programsFor, ScenarioArbitrary, ProgramsArbitrary, type Cast } from "./arbitraries/scenarios.js";

export { renderTimeline, drawTimelineText, DEFAULT_WIDTH, type TextTimelineOptions } from "./report/text.js";
export { renderTimelineSvg, renderTimelineHtml, drawTimelineSvg, escapeXml, type SvgTimelineOptions } from "./report/svg.js";
export { writeTimeline, timelineFormatFor, type TimelineFileFormat, type WriteTimelineOptions } from "./report/write.js";
export {
  buildTimeline,
  type Timeline,
  type TimelineBar,
  type TimelineInput,
  type TimelineLane,
  type TimelineRow,
  type TimelineRowKind,
  type VerdictLike,
  type VerdictTone,
} from "./report/timeline.js";
export { opLabel, resultLabel, socketLabel, scenarioLabel, DEFAULT_MAX_PAYLOAD, type LabelOptions } from "./report/labels.js";
export { formatReplay, parseReplay, ReplayLineError, REPLAY_PREFIX, type ReplayLine, type ReplayLineProblem } from "./report/replayLine.js";
export { replay, type ModelReplayOptions, type ReplayResult, type ReplayRunner, type RunnerReplayOptions } from "./report/replay.js";
export { timelinePrinter, type TimelinePrinterOptions } from "./report/printer.js";
export { reportRun, timelineReporter } from "./report/reporter.js";

export { guard, handoff, isGuarded, rawSocket, guardedName, contextOf, type GuardOptions } from "./guard/guard.js";
export { GuardContext, createGuardContext, type GuardContextOptions, type CompletionGate } from "./guard/context.js";
export { OwnershipError, type OwnershipFacts } from "./guard/ownership-error.js";
export { TaskRegistry, type TaskInfo } from "./guard/tasks.js";
export { teardownBreach, guardedExit, installTeardownCheck } from "./guard/teardown.js";
export { CompletionScheduler, type CompletionSchedulerOptions } from "./guard/scheduler.js";
export { instrument, instrumentationOf, createInstrumentedZmq, Instrumentation, GuardRun, SOCKET_CLASSES, INSTRUMENTATION_KEY, type ZmqModule, type GuardRunOptions, type InstrumentedZmqOptions } from "./guard/instrument.js";
export { runInterleaved, type InterleavedContext, type InterleavedReport, type RunInterleavedOptions } from "./guard/run.js";
export { renderRunReport, guardReplayLine, guardVerdictLabel, type RunReportInput } from "./guard/run-report.js";
export type { GuardVerdict } from "./guard/verdict.js";
export { checkInterleaves, interleavesProperty, InterleavingFailure, type InterleavesOptions, type InterleavesResult } from "./guard/check.js";

export { runInterleaving } from "./runtime/executor.js";
export { resolveRunOptions, type RunOptions, type ResolvedRunOptions } from "./runtime/options.js";
export type { RunResult, RunVerdict, Diverged, Unknown, ProcessOutcome } from "./runtime/result.js";
export { WorkerPool, type WorkerPoolOptions } from "./runtime/pool.js";
export { Observations, RACED_AHEAD } from "./model/observations.js";
export { turnShadows, shadowCheck, type TurnShadows } from "./model/check.js";
export { canonicalize } from "./interleaving/canonical.js";
