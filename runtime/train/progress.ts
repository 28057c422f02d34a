import cliProgress from 'cli-progress';
import type { EpochRecord } from './history.js';
import { describeEpoch } from './history.js';
import type { ProgressReporter } from './reporter.js';

export { silentReporter, type ProgressReporter } from './reporter.js';

/**
 * A live bar per epoch (cli-progress: epoch, batch, ETA, running loss and accuracy) when the
 * stream is a terminal; one plain line per epoch otherwise (logs, CI, pipes).
 */
export function consoleReporter(stream: NodeJS.WriteStream = process.stdout): ProgressReporter {
  return stream.isTTY ? barReporter(stream) : lineReporter(stream);
}

function lineReporter(stream: NodeJS.WritableStream): ProgressReporter {
  return {
    epochStart() {},
    batchEnd() {},
    epochEnd(record, epochs) {
      stream.write(`epoch ${record.epoch}/${epochs} · ${describeEpoch(record)} · ${record.seconds.toFixed(1)}s\n`);
    },
    message(text) {
      stream.write(`${text}\n`);
    },
    close() {},
  };
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let bar: cliProgress.SingleBar | null = null;
  let label = '';
  const stop = (): void => {
    bar?.stop();
    bar = null;
  };
  return {
    epochStart(epoch, epochs, batches) {
      label = `epoch ${epoch}/${epochs}`;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: '{label} [{bar}] {value}/{total} batches · ETA {eta_formatted} · loss {loss}{acc}',
          barsize: 24,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(batches, 0, { label, loss: '-', acc: '' });
    },
    batchEnd(batch, running) {
      const acc = running.accuracy !== undefined && Number.isFinite(running.accuracy) ? ` · acc ${running.accuracy.toFixed(4)}` : '';
      bar?.update(batch, { label, loss: Number.isFinite(running.loss) ? running.loss.toFixed(4) : '-', acc });
    },
    epochEnd(record, epochs) {
      stop();
      stream.write(`epoch ${record.epoch}/${epochs} · ${describeEpoch(record)} · ${record.seconds.toFixed(1)}s\n`);
    },
    message(text) {
      stop();
      stream.write(`${text}\n`);
    },
    close: stop,
  };
}
