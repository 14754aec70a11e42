import { EkimaeError } from '../../core/api/errors.js';

export function writeMahsr(path: string, clock: string): string {
  throw new EkimaeError('E_INPUT_INVALID', `the MAHSR corridor sample is not generated yet (${path}, ${clock}); use --only bang-sue`);
}
