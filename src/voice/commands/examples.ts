/**
 * Phrasings the phone grammar understands, at least one per tool, for docs and tests. Each is said
 * during a call about property 7 (lastPropertyId) and campaign 3 (lastCampaignId).
 */
export const COMMAND_EXAMPLES: readonly { tool: string; says: string }[] = [
  // properties
  {
    tool: 'create_property',
    says: 'Create a property at 123 Main St in Miami, Florida for 850 thousand, 3 beds 2 baths',
  },
  { tool: 'update_property', says: 'Change the price of property 5 to 799 thousand' },
  { tool: 'update_property', says: 'Set property five to under contract' },
  { tool: 'delete_property', says: 'Delete property 12' },
  { tool: 'list_properties', says: 'Show me all condos under 500k in Miami' },
  { tool: 'get_property', says: 'Tell me about property 5' },
  { tool: 'property_heartbeat', says: 'How is property 5 doing?' },
  { tool: 'property_history', says: 'What have we done on property 5?' },
  { tool: 'add_note', says: 'Add a note to the Elm Street one: seller wants to close before June' },
  { tool: 'list_notes', says: 'Read me the notes on property 5' },
  { tool: 'add_contact', says: 'Add John Smith as the buyer on property 5' },
  // contracts
  { tool: 'contract_readiness', says: 'Is property 5 ready to close?' },
  { tool: 'suggest_contracts', says: 'Suggest contracts for property 5' },
  { tool: 'send_contract', says: 'Send the purchase agreement for signing' },
  { tool: 'attach_contract', says: 'Attach the lead paint disclosure to property 5' },
  { tool: 'list_contracts', says: 'What contracts does property 5 have?' },
  { tool: 'check_compliance', says: 'Run a compliance check on property 5' },
  // intelligence
  { tool: 'predict_closing', says: 'Predict the outcome for property 5' },
  { tool: 'next_action', says: 'What should I do next with property 5?' },
  { tool: 'score_property', says: 'Score property 5' },
  { tool: 'value_property', says: "What's property 5 worth?" },
  { tool: 'get_comps', says: 'Comps for property 5' },
  { tool: 'calculate_mao', says: "What's the MAO on property 5 as a flip?" },
  { tool: 'calculate_deal', says: 'Run the numbers on property 5' },
  { tool: 'prediction_accuracy', says: 'How accurate are your predictions?' },
  // offers
  { tool: 'record_offer', says: 'We got an offer of $800k on property 5, cash, closing in 30 days' },
  { tool: 'analyze_offer', says: 'Analyze an offer of 800 thousand on property 5' },
  { tool: 'respond_to_offer', says: 'Accept offer 12' },
  { tool: 'respond_to_offer', says: 'Counter offer 12 at 835' },
  { tool: 'counter_offer_letter', says: 'Write the counter offer letter for offer 12' },
  // daily work
  { tool: 'daily_digest', says: "How's my portfolio doing?" },
  { tool: 'daily_digest', says: 'What needs attention?' },
  { tool: 'daily_digest', says: "Read me today's digest" },
  { tool: 'follow_up_queue', says: 'Read me my follow-up queue' },
  { tool: 'snooze_follow_up', says: 'Snooze property 8 for three days' },
  { tool: 'complete_follow_up', says: 'Mark the follow-up on property 8 done' },
  { tool: 'create_task', says: 'Remind me tomorrow at 9 to call the lender' },
  { tool: 'list_tasks', says: 'What are my tasks?' },
  { tool: 'schedule_viewing', says: 'Book a showing of property 5 tomorrow at 3 pm for Jane Doe' },
  { tool: 'list_showings', says: 'What showings do I have?' },
  { tool: 'list_notifications', says: 'Read my notifications' },
  { tool: 'mark_notifications_read', says: 'Mark all notifications read' },
  { tool: 'check_pipeline', says: 'Check the pipeline' },
  // campaigns
  { tool: 'start_campaign', says: 'Start the just-listed campaign for property 5' },
  { tool: 'pause_campaign', says: 'Pause it' },
  { tool: 'campaign_status', says: 'How is the campaign doing?' },
];
