// netns(8): placeholder until the commands land.
#include <cstdio>
int main() { std::fputs("netns: not yet\n", stderr); return 1; }
