import Foundation
import HeadwayCLI

exit(await Headway.run(arguments: Array(CommandLine.arguments.dropFirst())))
