/**
 * One training run as the window shows it: its status, progress and metric series. Engine events can come
 * fifty times a second; series are collected in plain buffers and published once per animation frame
 * (new arrays, never mutated), so Svelte and the charts redraw at most once a frame.
 */
import { api } from '../api.js';
import type {
  BackendName,
  EpochInsight,
  MetricName,
  RunEvent,
  RunInProgress,
  RunSummary,
  StartTrainingRequest,
  TrainingEvent,
} from '$contract/api.js';
import { errorMessage } from '../ui/format.js';

export interface Point {
  x: number;
  y: number;
}

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'finished' | 'error';

/** The two events that end a run the trainer saw through (an error has its own). */
type RunEnding = Extract<TrainingEvent, { type: 'finished' | 'stopped' }>;

type MetricSeries = Partial<Record<MetricName, Point[]>>;

export class TrainingRun {
  runId = $state<string | null>(null);
  status = $state<RunStatus>('idle');
  error = $state<string | null>(null);
  backend = $state<BackendName | null>(null);
  backendNote = $state('');
  totalEpochs = $state(0);
  epochsCompleted = $state(0);
  batchesPerEpoch = $state(0);
  batchInEpoch = $state(0);
  samplesPerSecond = $state(0);
  trainSamples = $state(0);
  validationSamples = $state(0);
  parameters = $state(0);
  learningRate = $state<number | null>(null);
  endReason = $state('');
  /** How the run ended, as the trainer decided it; `endReason` is only its wording. */
  outcome = $state<RunEnding['outcome'] | null>(null);
  bestEpoch = $state<number | null>(null);
  /** Seconds per epoch, from the engine's own timing. */
  private epochSeconds = $state.raw<number[]>([]);

  /** Loss after each reported batch, x = fractional epoch. */
  batchLoss = $state.raw<Point[]>([]);
  /** Every metric after each epoch, x = epochs completed. */
  epochMetrics = $state.raw<MetricSeries>({});
  lastMetrics = $state.raw<Partial<Record<MetricName, number>>>({});
  summary = $state.raw<RunSummary | null>(null);
  /**
   * The open views' newest insight: each part (weights, layers, boundary) from the last epoch that computed it,
   * `epoch` the newest one's; null before one arrives.
   */
  insight = $state.raw<EpochInsight | null>(null);

  readonly active = $derived(['starting', 'running', 'paused', 'stopping'].includes(this.status));
  readonly progress = $derived(
    this.totalEpochs > 0
      ? Math.min(
          1,
          (this.epochsCompleted + (this.batchesPerEpoch > 0 ? this.batchInEpoch / this.batchesPerEpoch : 0)) /
            this.totalEpochs,
        )
      : 0,
  );
  readonly etaSeconds = $derived.by(() => {
    if (this.epochSeconds.length === 0 || this.status !== 'running') return null;
    const recent = this.epochSeconds.slice(-5);
    const perEpoch = recent.reduce((a, b) => a + b, 0) / recent.length;
    return (
      perEpoch *
      Math.max(0, this.totalEpochs - this.epochsCompleted - this.batchInEpoch / Math.max(1, this.batchesPerEpoch))
    );
  });
  readonly statusText = $derived.by(() => {
    switch (this.status) {
      case 'idle':
        return 'Ready';
      case 'starting':
        return 'Starting…';
      case 'running':
        return 'Training…';
      case 'paused':
        return 'Paused';
      case 'stopping':
        return 'Stopping…';
      case 'stopped':
        return `Stopped at epoch ${this.epochsCompleted}`;
      case 'finished':
        return this.outcome === 'early-stopped'
          ? `Finished (stopped early at epoch ${this.epochsCompleted})`
          : 'Finished';
      case 'error':
        return 'Failed';
    }
  });

  private pendingBatches: Point[] = [];
  /** The newest values of the streaming events, published to the reactive fields by flush(). */
  private latest = TrainingRun.freshLatest();

  private static freshLatest() {
    return {
      epochs: 0,
      batchInEpoch: 0,
      batchesPerEpoch: 0,
      samplesPerSecond: 0,
      learningRate: null as number | null,
      recentSeconds: [] as number[],
      metrics: null as Partial<Record<MetricName, number>> | null,
      insight: null as EpochInsight | null,
    };
  }
  private pendingEpochs: Array<{ x: number; metrics: Partial<Record<MetricName, number>> }> = [];
  private frame: number | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly onEnded: (summary: RunSummary | null, runId: string) => void) {
    this.unsubscribe = api.onTrainingEvent((message) => this.receive(message));
  }

  dispose(): void {
    this.unsubscribe();
    if (this.frame !== null) cancelAnimationFrame(this.frame);
  }

  async start(projectId: string, request: StartTrainingRequest): Promise<void> {
    this.reset();
    this.status = 'starting';
    this.totalEpochs = request.settings.epochs;
    try {
      const { runId } = await api.startTraining(projectId, request);
      this.runId = runId;
      // Events that raced ahead of the reply were kept; play them now.
      for (const early of this.early.splice(0)) if (early.runId === runId) this.apply(early.event);
      if (this.status === 'starting') this.status = 'running';
    } catch (error) {
      this.status = 'error';
      this.error = errorMessage(error);
    }
  }

  async control(action: 'pause' | 'resume' | 'stop'): Promise<void> {
    if (!this.runId) return;
    if (action === 'stop') this.status = 'stopping';
    try {
      await api.controlTraining(this.runId, action);
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private early: RunEvent[] = [];
  /** While the window asks the engine for a run in progress, events wait for the answer (see `join`). */
  private joining = false;
  /** The last epoch the engine's history had when this window joined: its event may still arrive, once. */
  private joinedAtEpoch: number | null = null;

  /** Holds training events until `join`: the window is about to ask which run it should follow. */
  holdForJoin(): void {
    this.joining = true;
  }

  /**
   * Follows a run that started before this window did (a reload, a second tab): the charts fill in from its
   * history so far, then go on with its events.
   */
  join(running: RunInProgress | null): void {
    this.joining = false;
    const held = this.early.splice(0);
    if (!running) return;
    this.reset();
    const { summary, started } = running;
    this.runId = running.runId;
    this.totalEpochs = summary.settings.epochs;
    this.status = 'starting';
    if (started) this.apply(started);
    if (running.paused) this.status = 'paused';
    for (const record of summary.history) {
      this.latest.epochs++;
      this.latest.learningRate = record.learningRate;
      this.latest.metrics = record.metrics;
      this.latest.recentSeconds = [...this.latest.recentSeconds.slice(-4), record.seconds];
      this.pendingEpochs.push({ x: this.latest.epochs, metrics: record.metrics });
    }
    this.joinedAtEpoch = summary.history.at(-1)?.epoch ?? null;
    this.flush();
    for (const message of held) if (message.runId === running.runId) this.apply(message.event);
  }

  private receive(message: RunEvent): void {
    if (this.runId === null) {
      if (this.status === 'starting' || this.joining) this.early.push(message);
      return;
    }
    if (message.runId !== this.runId) return;
    this.apply(message.event);
  }

  private apply(event: TrainingEvent): void {
    switch (event.type) {
      case 'started':
        this.status = 'running';
        this.backend = event.backend;
        this.backendNote = event.backendNote;
        this.totalEpochs = event.epochs;
        this.batchesPerEpoch = event.batchesPerEpoch;
        this.trainSamples = event.trainSamples;
        this.validationSamples = event.validationSamples;
        this.parameters = event.parameters;
        break;
      // Batch and epoch events can arrive hundreds of times a second: they only touch plain fields here, and
      // the reactive state follows once per animation frame in flush().
      case 'batch':
        this.latest.batchesPerEpoch = event.batchesPerEpoch;
        this.latest.batchInEpoch = event.batch + 1;
        this.latest.samplesPerSecond = event.samplesPerSecond;
        this.pendingBatches.push({ x: this.latest.epochs + (event.batch + 1) / event.batchesPerEpoch, y: event.loss });
        this.scheduleFlush();
        break;
      case 'epoch':
        if (this.joinedAtEpoch !== null && event.epoch <= this.joinedAtEpoch) break;
        this.latest.epochs++;
        this.latest.batchInEpoch = 0;
        this.latest.samplesPerSecond = event.samplesPerSecond;
        this.latest.learningRate = event.learningRate;
        this.latest.recentSeconds = [...this.latest.recentSeconds.slice(-4), event.seconds];
        this.latest.metrics = event.metrics;
        // Each view's part is kept until a newer epoch brings that part: the parts are throttled on their own
        // (layer statistics and the boundary skip epochs), so one epoch's insight rarely has them all.
        if (event.insight) this.latest.insight = { ...this.latest.insight, ...event.insight };
        this.pendingEpochs.push({ x: this.latest.epochs, metrics: event.metrics });
        this.scheduleFlush();
        break;
      case 'paused':
        this.status = 'paused';
        break;
      case 'resumed':
        this.status = 'running';
        break;
      case 'stopped':
      case 'finished':
        this.flush();
        this.status = event.type;
        this.endReason = event.reason;
        this.outcome = event.outcome;
        this.bestEpoch = event.bestEpoch;
        this.epochsCompleted = event.epochsCompleted;
        void this.fetchSummary();
        break;
      case 'error':
        this.flush();
        this.status = 'error';
        this.error = event.message;
        void this.fetchSummary();
        break;
    }
  }

  private scheduleFlush(): void {
    if (this.frame !== null) return;
    this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    const latest = this.latest;
    this.epochsCompleted = latest.epochs;
    this.batchInEpoch = latest.batchInEpoch;
    if (latest.batchesPerEpoch > 0) this.batchesPerEpoch = latest.batchesPerEpoch;
    this.samplesPerSecond = latest.samplesPerSecond;
    if (latest.learningRate !== null) this.learningRate = latest.learningRate;
    if (latest.recentSeconds !== this.epochSeconds) this.epochSeconds = latest.recentSeconds;
    if (latest.metrics) this.lastMetrics = latest.metrics;
    if (latest.insight !== this.insight) this.insight = latest.insight;
    if (this.pendingBatches.length > 0) {
      this.batchLoss = this.batchLoss.concat(this.pendingBatches);
      this.pendingBatches = [];
    }
    if (this.pendingEpochs.length > 0) {
      const next: MetricSeries = { ...this.epochMetrics };
      const additions: MetricSeries = {};
      for (const { x, metrics } of this.pendingEpochs) {
        for (const [name, value] of Object.entries(metrics) as Array<[MetricName, number]>) {
          (additions[name] ??= []).push({ x, y: value });
        }
      }
      for (const [name, points] of Object.entries(additions) as Array<[MetricName, Point[]]>) {
        next[name] = (next[name] ?? []).concat(points);
      }
      this.epochMetrics = next;
      this.pendingEpochs = [];
    }
  }

  private async fetchSummary(): Promise<void> {
    const runId = this.runId;
    if (!runId) return;
    let summary: RunSummary | null = null;
    try {
      summary = await api.getRun(runId);
      this.summary = summary;
    } catch (error) {
      this.error ??= errorMessage(error);
    }
    this.onEnded(summary, runId);
  }

  private reset(): void {
    this.latest = TrainingRun.freshLatest();
    this.joinedAtEpoch = null;
    this.runId = null;
    this.error = null;
    this.backend = null;
    this.backendNote = '';
    this.epochsCompleted = 0;
    this.batchInEpoch = 0;
    this.batchesPerEpoch = 0;
    this.samplesPerSecond = 0;
    this.learningRate = null;
    this.endReason = '';
    this.outcome = null;
    this.bestEpoch = null;
    this.epochSeconds = [];
    this.batchLoss = [];
    this.epochMetrics = {};
    this.lastMetrics = {};
    this.summary = null;
    this.insight = null;
    this.pendingBatches = [];
    this.pendingEpochs = [];
    this.early = [];
  }
}
