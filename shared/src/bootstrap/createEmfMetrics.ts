import { EmfPipelineMetrics } from '../metrics/emfPipelineMetrics.ts';
import { EMF_NAMESPACE } from '../metrics/metricNames.ts';

/** Composition helper for Lambda entries: EMF metrics in the Ingesta namespace, `service` dimension. */
const createEmfMetrics = (serviceName: string): EmfPipelineMetrics =>
  new EmfPipelineMetrics({ namespace: EMF_NAMESPACE, serviceName });

export { createEmfMetrics };
