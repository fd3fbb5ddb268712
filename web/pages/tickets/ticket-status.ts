// How ticket statuses read.
export const STATUS_LABELS: Record<string, string> = { open: 'Open', in_progress: 'In progress', closed: 'Closed' };
