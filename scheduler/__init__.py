"""Reminders and weekly summaries, on the office's working calendar.

`planner` decides who is reminded when (pure); `schedule` stores that as `Reminder` rows;
`sweep` queues what is due at an instant; `summaries` builds the Monday summaries; `messages`
and `wording` say it all in Vietnamese; `jobs` and `cli` run the sweep on APScheduler or once.
"""
