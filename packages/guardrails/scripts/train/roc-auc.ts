/** Area under the ROC curve of scores of positives against negatives (ties counted half); NaN when a side is empty. */
export function auc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  const all = [...positives.map((score) => [score, 1] as const), ...negatives.map((score) => [score, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let index = 0; index < all.length; ) {
    let end = index;
    while (end < all.length && all[end]![0] === all[index]![0]) end++;
    const rank = (index + end + 1) / 2;
    for (let tie = index; tie < end; tie++) if (all[tie]![1] === 1) rankSum += rank;
    index = end;
  }
  return (rankSum - (positives.length * (positives.length + 1)) / 2) / (positives.length * negatives.length);
}
