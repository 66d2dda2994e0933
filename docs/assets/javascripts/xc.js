/* Edition behaviour: print button, checklist ticks kept per edition. */
