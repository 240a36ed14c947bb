"""Tệp gửi cấp trên (.scb): a branch's year sent to its committee, and the committee's sum of its branches.

- `source`: what a branch sends, read from the register, the year-end review and the meetings;
- `container`: writing and (hostile-input-proof) reading of the signed .scb file;
- `keys`: this installation's signing key;
- `committee`: receiving files into a committee's database, and its view of the period;
- `tally_sum`: adding branch tallies into the committee's tally;
- `report`: the committee's printed summary (PDF) and workbook.
The file format is described in docs/exchange-format.md.
"""
