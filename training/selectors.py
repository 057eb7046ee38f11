"""Read-side queries of the training app that dispatch may call (dispatch → training)."""
