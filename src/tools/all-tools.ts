import { campaignTools } from './campaign.tools.ts';
import { complianceTools, contractTools } from './contract.tools.ts';
import { crmTools } from './crm.tools.ts';
import { insightsTools } from './insights.tools.ts';
import { offerTools } from './offer.tools.ts';
import { pipelineTools } from './pipeline.tools.ts';
import { propertyTools } from './property.tools.ts';
import { receptionTools } from './reception.tools.ts';
import type { Tool } from './registry.ts';
import { showingTools } from './showing.tools.ts';
import { valuationTools } from './valuation.tools.ts';

/** Every tool the service offers (to MCP, REST and the call runtime alike), in the order they are registered. */
export const allTools: Tool[] = [
  ...propertyTools,
  ...crmTools,
  ...pipelineTools,
  ...insightsTools,
  ...contractTools,
  ...complianceTools,
  ...offerTools,
  ...valuationTools,
  ...showingTools,
  ...receptionTools,
  ...campaignTools,
];
