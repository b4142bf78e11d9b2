import { describe, expect, it } from 'vitest';
import {
  commandOf,
  expectCommand,
  expectQuestion,
  questionOf,
  type CommandCase,
  type QuestionCase,
} from './grammar-expect.ts';

/** The day's work: digest, follow-up queue, snoozes, reminders and tasks, showings, pipeline checks. */

describe('phrasings of the brief', () => {
  it.each<CommandCase>([
    ["how's my portfolio doing?", 'daily_digest', {}],
    ['what needs attention?', 'daily_digest', {}],
    ['read me my follow-up queue', 'follow_up_queue', {}],
    ['snooze property 8 for three days', 'snooze_follow_up', { property_id: 8, hours: 72 }],
    ["read me today's digest", 'daily_digest', {}],
    [
      'remind me tomorrow at 9 to call the lender',
      'create_task',
      { title: 'Call the lender', due_at: '2025-06-04T09:00:00-04:00' },
    ],
  ])('"%s" → %s %j', expectCommand);
});

describe('numbers said as words or digits', () => {
  it('reads durations', () => {
    expect(commandOf('snooze property 8 for a week').args).toEqual({ property_id: 8, hours: 168 });
    expect(commandOf('snooze it for a couple of days').args).toEqual({ property_id: 7, hours: 48 });
    expect(commandOf('snooze property eight').args).toEqual({ property_id: 8 });
    expect(commandOf('snooze property 8 until friday').args).toEqual({ property_id: 8, hours: 71 });
  });
});

describe('missing or doubtful slots → a question, never a guess', () => {
  it.each<QuestionCase>([
    ['remind me tomorrow to call the lender', /What time tomorrow/],
    ['remind me to call the lender', /When should I remind you/],
    ['set a reminder', /What should I remind you about/],
    ['book a showing of property 5', /What day and time/],
    ['book a showing of property 5 tomorrow', /What time tomorrow/],
    ['snooze property 8 for 6 months', /up to 90 days/],
    ['snooze property 8 for 2 or 3 days', /2 days or 3 days/],
  ])('"%s"', expectQuestion);

  it('a time that has passed is asked again', () => {
    expect(questionOf('remind me today at 9 am to call the lender')).toMatch(/passed/);
  });
});

describe('more phrasings', () => {
  it.each<CommandCase>([
    ['who should I call today', 'follow_up_queue', {}],
    ['read me my top 3 urgent follow ups', 'follow_up_queue', { limit: 3, priority: 'urgent' }],
    ['mark the follow-up on property 8 done', 'complete_follow_up', { property_id: 8 }],
    [
      'remind me every monday at 9 to check the listings',
      'create_task',
      {
        title: 'Check the listings',
        task_type: 'recurring',
        recurrence: 'weekly',
        due_at: '2025-06-09T09:00:00-04:00',
      },
    ],
    ['remind me in 2 hours to call the seller', 'create_task', { title: 'Call the seller', in_minutes: 120 }],
    [
      'remind me about property 5 on friday morning',
      'create_task',
      { title: 'Property 5', property_id: 5, due_at: '2025-06-06T09:00:00-04:00' },
    ],
    [
      'book a showing of property 5 tomorrow at 3 pm for Jane Doe',
      'schedule_viewing',
      { property_id: 5, starts_at: '2025-06-04T15:00:00-04:00', visitor_name: 'Jane Doe' },
    ],
    ['check the pipeline for property 5', 'check_pipeline', { property_id: 5 }],
  ])('"%s" → %s', expectCommand);
});

describe('phrasings heard while testing', () => {
  it.each<CommandCase>([
    ['who do I need to call', 'follow_up_queue', {}],
    ['remind me in a couple of hours to call Bob', 'create_task', { title: 'Call Bob', in_minutes: 120 }],
    [
      "Remind me to call Mary O'Neil about the HOA docs, tomorrow at 10:30 am",
      'create_task',
      { title: "Call Mary O'Neil about the HOA docs", due_at: '2025-06-04T10:30:00-04:00' },
    ],
    [
      'mark the follow up on property 8 done: left a voicemail',
      'complete_follow_up',
      { property_id: 8, note: 'Left a voicemail' },
    ],
  ])('"%s" → %s', expectCommand);

  it.each<QuestionCase>([
    ['snooze it for a few hours', /For how long/],
    ['remind me in a few minutes to call', /When should I remind you/],
  ])('"%s" asks', expectQuestion);
});
