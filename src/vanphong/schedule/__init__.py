"""The leaders' weekly work schedule (lịch công tác tuần) with numbered revisions."""
