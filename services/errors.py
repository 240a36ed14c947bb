"""Errors whose message is meant for the user (already in Vietnamese)."""


class UserError(Exception):
    """A problem the user can fix; str(err) is a Vietnamese sentence."""


class ValidationError(UserError):
    """Input that breaks a rule. `problems` lists one message per problem (field or row)."""

    def __init__(self, problems: list[str] | str):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
