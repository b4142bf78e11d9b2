import { describe, it } from 'vitest';
import { BARE, expectCommand, expectQuestion, type CommandCase, type QuestionCase } from './grammar-expect.ts';

/** Calling campaigns: start, resume, pause, status. */

describe('phrasings of the brief', () => {
  it.each<CommandCase>([
    ['start the just-listed campaign for property 5', 'start_campaign', { property_id: 5, purpose: 'just_listed' }],
    ['pause it', 'pause_campaign', { campaign_id: 3 }],
    ['pause the campaign', 'pause_campaign', { campaign_id: 3 }],
    ['how is the campaign doing?', 'campaign_status', { campaign_id: 3 }],
    ['how is the campaign doing?', 'campaign_status', {}, BARE],
  ])('"%s" → %s %j', expectCommand);
});

describe('missing or doubtful slots → a question, never a guess', () => {
  it.each<QuestionCase>([
    ['start a campaign', /What kind of campaign/],
    ['start the just listed campaign for 123 Main Street', /property number of 123 Main St/],
  ])('"%s"', expectQuestion);

  it.each<QuestionCase>([
    ['pause it', /Which campaign should I pause/],
    ['resume the campaign', /Which campaign should I resume/],
    ['start the just-listed campaign', /Which property is the just-listed campaign for/],
  ])('without context: "%s"', (text, question) => expectQuestion(text, question, BARE));
});

describe('more phrasings', () => {
  it.each<CommandCase>([
    ['start campaign 4', 'start_campaign', { campaign_id: 4 }],
    ['resume the campaign', 'start_campaign', { campaign_id: 3 }],
    ['launch an open house campaign for it', 'start_campaign', { property_id: 7, purpose: 'open_house_rsvp' }],
    ['start a past client check in campaign', 'start_campaign', { purpose: 'past_client_check_in' }],
    ['pause campaign 4', 'pause_campaign', { campaign_id: 4 }],
    ['what are the stats on campaign 4', 'campaign_status', { campaign_id: 4 }],
  ])('"%s" → %s', expectCommand);
});

describe('phrasings heard while testing', () => {
  it.each<CommandCase>([
    ['how are my campaigns doing', 'campaign_status', {}],
    ['start calling my past clients', 'start_campaign', { purpose: 'past_client_check_in' }],
    ['stop the campaign', 'pause_campaign', { campaign_id: 3 }],
    ['unpause it', 'start_campaign', { campaign_id: 3 }],
  ])('"%s" → %s', expectCommand);

  it.each<QuestionCase>([['start a campaign for property 5', /What kind of campaign/]])('"%s" asks', expectQuestion);
});
