import { crashLine } from '../logging/crash-log';
import { queueBacklog, registerScrapeCollector, renderMetrics } from './metrics';

describe('metrics', () => {
  it('reads gauges at scrape time, and a failing or hung collector never fails the scrape', async () => {
    const removals = [
      registerScrapeCollector('test:ok', () => queueBacklog.set({ service: 'test', queue: 'q' }, 7)),
      registerScrapeCollector('test:fails', () => Promise.reject(new Error('database down'))),
      registerScrapeCollector('test:hangs', () => new Promise<void>(() => undefined)),
    ];
    try {
      const text = await renderMetrics(50);
      expect(text).toContain('gsr_queue_backlog{service="test",queue="q"} 7');
      expect(text).toContain('gsr_metrics_collector_errors_total{collector="test:fails"} 1');
      expect(text).toContain('gsr_metrics_collector_errors_total{collector="test:hangs"} 1');
    } finally {
      for (const remove of removals) remove();
    }
    // Removed: no longer run.
    const again = await renderMetrics(50);
    expect(again).toContain('gsr_metrics_collector_errors_total{collector="test:fails"} 1');
  });
});

describe('crash line', () => {
  it('is one JSON line naming the process, the error and its stack', () => {
    const err = Object.assign(new Error('boom'), { code: 'EBOOM' });
    const line = crashLine('intake', 'uncaughtException', err);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({
      level: 'error',
      service: 'intake',
      msg: 'uncaught exception, exiting',
      error: 'boom',
      code: 'EBOOM',
      stack: expect.stringContaining('boom'),
    });
    expect(JSON.parse(crashLine('gateway', 'unhandledRejection', 'plain'))).toMatchObject({
      msg: 'unhandled promise rejection, exiting',
      error: 'plain',
    });
  });
});
