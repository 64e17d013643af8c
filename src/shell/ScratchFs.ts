/**
 * The shell's file system outside the draft: in memory, gone when the run
 * ends. It holds the layout scripts expect — `/tmp`, `$HOME`
 * (`/home/user`), `/dev/null` (writes to it are dropped), `/bin` and
 * `/usr/bin` with a stub per command, as just-bash lays out its own — and
 * whatever a script writes there, up to `maxBytes`.
 */
import { InMemoryFs } from 'just-bash/browser';

export const SCRATCH_HOME = '/home/user';

type WriteArgs = Parameters<InMemoryFs['writeFile']>;

export class ScratchFs extends InMemoryFs {
  constructor(commands: readonly string[], maxBytes: number) {
    super(undefined, { maxTotalBytes: maxBytes });
    for (const dir of ['/tmp', SCRATCH_HOME, '/dev/fd', '/bin', '/usr/bin']) this.mkdirSync(dir, { recursive: true });
    for (const device of ['/dev/null', '/dev/stdin', '/dev/stdout', '/dev/stderr']) this.writeFileSync(device, '');
    for (const name of commands) {
      const stub = `#!/bin/bash\n# Built-in command: ${name}\n`;
      this.writeFileSync(`/bin/${name}`, stub);
      this.writeFileSync(`/usr/bin/${name}`, stub);
    }
  }

  override async writeFile(...[path, content, options]: WriteArgs): Promise<void> {
    if (this.resolvePath('/', path) === '/dev/null') return;
    return super.writeFile(path, content, options);
  }

  override async appendFile(...[path, content, options]: WriteArgs): Promise<void> {
    if (this.resolvePath('/', path) === '/dev/null') return;
    return super.appendFile(path, content, options);
  }
}
