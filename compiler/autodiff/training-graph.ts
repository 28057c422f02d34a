/** What autodiff adds to a graph, for emission: which nodes are loss, backward and update work. */
interface OptimizerSlot {
  /** The `param` node holding the slot. */
  node: number;
  /** `<param>.<slot>`, e.g. `h.weight.m`. */
  name: string;
  param: string;
  init: number;
}

export interface TrainingGraph {
  /** The scalar total loss (data loss plus regularisation penalties). */
  loss: number;
  /** Nodes that compute the loss (run by evaluate as well as by training). */
  lossNodes: Set<number>;
  /** Nodes of the backward pass (including lossNodes). */
  backwardNodes: Set<number>;
  /** Optimizer update nodes (sinks, in place). */
  updateNodes: Set<number>;
  slots: OptimizerSlot[];
  /** Param name → gradient node (after regularisation terms). */
  grads: Map<string, number>;
}
