/**
 * Errors of the training loop and checkpoints, with stable `NNR51xx` codes.
 *
 * NNR5101  the loss became NaN or infinite (names the step, epoch and batch, and the layer when known)
 * NNR5102  a checkpoint cannot be read or does not match the model
 * NNR5103  the model cannot be trained as configured (no train section, bad settings)
 */
export type TrainErrorCode = 'NNR5101' | 'NNR5102' | 'NNR5103';

export class TrainError extends Error {
  constructor(
    readonly code: TrainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TrainError';
  }

  format(): string {
    return `error ${this.code}: ${this.message}`;
  }
}
