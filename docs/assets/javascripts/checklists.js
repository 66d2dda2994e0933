/* Checklist ticks kept per edition: see issue 4. */
