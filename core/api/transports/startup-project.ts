/** The project a host opens at start-up (the Bang Sue working copy, or --project): opened if it exists, created empty otherwise. */
import { existsSync } from 'node:fs';
import type { Result } from '../../errors.js';
import type { EkimaeService } from '../service.js';

export function openStartupProject(service: Pick<EkimaeService, 'call'>, path: string): Promise<Result<unknown>> {
  return existsSync(path)
    ? service.call('project.open', { path })
    : service.call('project.create', { path, settings: { name: 'Untitled project' } });
}
