import { Agent, AgentPhoneNumber, ApiKey, VoicePinAttempt } from '../domain/agents/agent.entity.ts';
import { Call, CallTurn } from '../domain/calls/call.entity.ts';
import { ConsoleSession } from '../domain/console/console-session.ts';
import {
  CallAttempt,
  Campaign,
  CampaignTarget,
  ConsentRecord,
  DialDecision,
  DncList,
  DncListNumber,
  DoNotCallEntry,
} from '../domain/campaigns/campaign.entity.ts';
import { HistoryEntry } from '../domain/activity/history.entity.ts';
import { ComplianceCheck } from '../domain/compliance/compliance-check.entity.ts';
import { Contact } from '../domain/contacts/contact.entity.ts';
import { Contract, ContractSigner } from '../domain/contracts/contract.entity.ts';
import { DealOutcome, PredictionLog } from '../domain/learning/learning.entity.ts';
import { Note } from '../domain/notes/note.entity.ts';
import { Notification } from '../domain/notifications/notification.entity.ts';
import { Offer } from '../domain/offers/offer.entity.ts';
import { Property } from '../domain/properties/property.entity.ts';
import { PropertyEnrichment, SkipTrace } from '../domain/research/research.entity.ts';
import { Sale } from '../domain/sales/sale.entity.ts';
import { Showing } from '../domain/showings/showing.entity.ts';
import { ScheduledTask } from '../domain/tasks/task.entity.ts';

export const entities = [
  Agent,
  AgentPhoneNumber,
  ApiKey,
  VoicePinAttempt,
  ConsoleSession,
  Property,
  Contact,
  Note,
  HistoryEntry,
  Notification,
  PropertyEnrichment,
  SkipTrace,
  Contract,
  ContractSigner,
  ScheduledTask,
  ComplianceCheck,
  Offer,
  DealOutcome,
  PredictionLog,
  Sale,
  Call,
  CallTurn,
  Showing,
  Campaign,
  CampaignTarget,
  CallAttempt,
  DialDecision,
  DoNotCallEntry,
  DncList,
  DncListNumber,
  ConsentRecord,
];
