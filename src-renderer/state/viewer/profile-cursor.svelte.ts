/** The column the thickness profile marks: the hovered image column, else the one pointed at on the profile. */
export class ProfileCursor {
  /** The column under the pointer on the profile chart itself. */
  profileColumn = $state<number | null>(null);
  readonly column = $derived.by(() => this.hoverColumn() ?? this.profileColumn);

  constructor(private readonly hoverColumn: () => number | null) {}
}
