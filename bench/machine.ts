/** The machine a benchmark ran on, recorded with every result (issue 8). */
import os from 'node:os';

export interface Machine {
  host: string;
  cpus: number;
  model: string;
  memoryGb: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}
